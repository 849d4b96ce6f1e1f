// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/filetype.h"

#include "core/logging.h"

#include <QFile>
#include <magic.h>

namespace confab::server {

namespace {

const QString kUnknownType = QStringLiteral("application/octet-stream");

// A libmagic cookie with its compiled database loaded, or null when that failed.
class MagicHandle
{
public:
    MagicHandle()
        // Compressed files are typed as themselves (application/gzip), never unpacked.
        : m_cookie(magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR))
    {
        if (!m_cookie) {
            qCWarning(lcMedia) << "libmagic: magic_open failed";
            return;
        }
        if (magic_load(m_cookie, nullptr) != 0) {
            qCWarning(lcMedia) << "libmagic: cannot load its database:" << magic_error(m_cookie);
            magic_close(m_cookie);
            m_cookie = nullptr;
        }
    }
    ~MagicHandle()
    {
        if (m_cookie)
            magic_close(m_cookie);
    }
    MagicHandle(const MagicHandle &) = delete;
    MagicHandle &operator=(const MagicHandle &) = delete;
    MagicHandle(MagicHandle &&) = delete;
    MagicHandle &operator=(MagicHandle &&) = delete;

    [[nodiscard]] magic_t cookie() const { return m_cookie; }

private:
    magic_t m_cookie = nullptr;
};

} // namespace

QString detectFileType(const QString &path)
{
    thread_local MagicHandle handle;
    if (!handle.cookie())
        return kUnknownType;
    const QByteArray nativePath = QFile::encodeName(path);
    const char *type = magic_file(handle.cookie(), nativePath.constData());
    if (!type) {
        qCWarning(lcMedia) << "libmagic: cannot type" << path << magic_error(handle.cookie());
        return kUnknownType;
    }
    QString result = QString::fromLatin1(type).trimmed();
    // libmagic's answers are "type/subtype"; anything else is not a type to announce.
    if (result.isEmpty() || !result.contains(QLatin1Char('/')))
        return kUnknownType;
    return result;
}

} // namespace confab::server
