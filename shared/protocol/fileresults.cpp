// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/fileresults.h"

#include "protocol/jsoninteger.h"
#include "protocol/resultshapes.h"

namespace confab::protocol {

namespace {
std::optional<qint64> count(const QJsonObject &o, QLatin1StringView name)
{
    const auto n = jsonInteger(o.value(name));
    if (!n || *n < 0)
        return std::nullopt;
    return n;
}
} // namespace

QJsonObject UploadState::toJson() const
{
    namespace w = wire::upload_state;
    return {{w::Upload.name, double(upload)}, {w::Size.name, double(size)},
        {w::Offset.name, double(offset)}};
}

std::optional<UploadState> UploadState::fromJson(const QJsonObject &data)
{
    namespace w = wire::upload_state;
    const auto upload = count(data, w::Upload.name);
    const auto size = count(data, w::Size.name);
    const auto offset = count(data, w::Offset.name);
    if (!upload || *upload < 1 || !size || !offset || *offset > *size)
        return std::nullopt;
    return UploadState {*upload, *size, *offset};
}

QJsonObject FileResult::toJson() const
{
    return {{wire::file_result::File.name, file.toJson()}};
}

std::optional<FileResult> FileResult::fromJson(const QJsonObject &data)
{
    auto file = FileInfo::fromJson(data.value(wire::file_result::File.name).toObject());
    if (!file)
        return std::nullopt;
    return FileResult {std::move(*file)};
}

QJsonObject DownloadStarted::toJson() const
{
    namespace w = wire::download_started;
    return {{w::File.name, file.toJson()}, {w::Stream.name, double(stream)},
        {w::Offset.name, double(offset)}, {w::Length.name, double(length)},
        {w::Total.name, double(total)}, {w::Type.name, type}};
}

std::optional<DownloadStarted> DownloadStarted::fromJson(const QJsonObject &data)
{
    namespace w = wire::download_started;
    auto file = FileInfo::fromJson(data.value(w::File.name).toObject());
    const auto stream = count(data, w::Stream.name);
    const auto offset = count(data, w::Offset.name);
    const auto length = count(data, w::Length.name);
    const auto total = count(data, w::Total.name);
    if (!file || !stream || *stream < 1 || !offset || !length || !total
        || *offset + *length > *total)
        return std::nullopt;
    return DownloadStarted {
        std::move(*file), *stream, *offset, *length, *total, data.value(w::Type.name).toString()};
}

} // namespace confab::protocol
