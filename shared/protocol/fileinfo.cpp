// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/fileinfo.h"

#include "protocol/jsoninteger.h"
#include "protocol/objectshapes.h"

#include <algorithm>
#include <climits>

namespace confab::protocol {

namespace {
int dimension(const QJsonValue &v)
{
    const auto n = jsonInteger(v);
    return n && *n > 0 && *n <= INT_MAX ? int(*n) : 0;
}
} // namespace

QJsonObject FileInfo::toJson() const
{
    namespace w = wire::file;
    QJsonObject o {
        {w::Id.name, double(id)},
        {w::Name.name, name},
        {w::Size.name, double(size)},
        {w::Type.name, type},
        {w::Sha256.name, sha256},
    };
    if (width > 0 && height > 0) {
        o.insert(w::Width.name, width);
        o.insert(w::Height.name, height);
    }
    if (thumbnail) {
        namespace t = wire::thumbnail;
        o.insert(w::ThumbnailMember.name,
            QJsonObject {{t::Width.name, thumbnail->width}, {t::Height.name, thumbnail->height},
                {t::Size.name, double(thumbnail->size)}, {t::Type.name, thumbnail->type}});
    }
    return o;
}

std::optional<FileInfo> FileInfo::fromJson(const QJsonObject &o)
{
    namespace w = wire::file;
    const auto id = jsonInteger(o.value(w::Id.name));
    const auto size = jsonInteger(o.value(w::Size.name));
    // The hash names files in a client's cache: anything but 64 lowercase hex digits is
    // refused, so a server's value can never become a path.
    const QString sha256 = o.value(w::Sha256.name).toString();
    const bool hex = sha256.size() == Sha256HexLength
        && std::all_of(sha256.begin(), sha256.end(),
            [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
    if (!id || *id < 1 || !size || *size < 0 || !o.value(w::Name.name).isString()
        || !o.value(w::Type.name).isString() || !hex)
        return std::nullopt;
    FileInfo f;
    f.id = *id;
    f.name = o.value(w::Name.name).toString();
    f.size = *size;
    f.type = o.value(w::Type.name).toString();
    f.sha256 = sha256;
    f.width = dimension(o.value(w::Width.name));
    f.height = dimension(o.value(w::Height.name));
    if (f.width == 0 || f.height == 0)
        f.width = f.height = 0;
    const QJsonObject t = o.value(w::ThumbnailMember.name).toObject();
    namespace tw = wire::thumbnail;
    const int tw_ = dimension(t.value(tw::Width.name));
    const int th = dimension(t.value(tw::Height.name));
    const auto tsize = jsonInteger(t.value(tw::Size.name));
    if (tw_ > 0 && th > 0 && tsize && *tsize > 0)
        f.thumbnail = Thumbnail {tw_, th, *tsize, t.value(tw::Type.name).toString()};
    return f;
}

} // namespace confab::protocol
