// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/uploadfile.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace confab::server {

Descriptor::~Descriptor()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

UploadFile::UploadFile(const QString &path, qint64 length)
    : m_path(path)
    , m_written(length)
    , m_hashComplete(length == 0)
{ }

bool UploadFile::open(QString *error)
{
    if (m_fd)
        return true;
    const int fd = ::open(
        QFile::encodeName(m_path).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        *error = u"cannot open %1: %2"_s.arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_fd = std::make_shared<Descriptor>(fd);
    return true;
}

bool UploadFile::append(QByteArrayView data, QString *error)
{
    if (!open(error))
        return false;
    qint64 done = 0;
    while (done < data.size()) {
        const ssize_t n = ::pwrite(m_fd->fd(), data.constData() + done, size_t(data.size() - done),
            off_t(m_written + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = u"cannot write %1: %2"_s.arg(
                m_path, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        done += n;
    }
    if (m_hashComplete)
        m_hash.addData(data);
    m_written += data.size();
    return true;
}

QString UploadFile::sha256() const
{
    if (!m_hashComplete)
        return {};
    return QString::fromLatin1(m_hash.resultView().toByteArray().toHex());
}

} // namespace confab::server
