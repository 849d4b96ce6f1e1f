// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

namespace confab::client {

/*!
 * \brief Session tokens in the platform keychain (QtKeychain), under one service and
 * the key "<server url>|<username>". Never falls back to a plain file.
 *
 * Every operation is asynchronous; the callback runs once, unless the store is
 * destroyed first.
 */
class TokenStore : public QObject
{
    Q_OBJECT

public:
    enum class Result
    {
        Ok, //!< done (read: the token is in \c token)
        NotFound, //!< read/delete: there is no such entry
        Unavailable, //!< no keychain reachable, or it refused
    };
    Q_ENUM(Result)
    using Callback = std::function<void(Result result, const QString &token)>;

    explicit TokenStore(const QString &service, QObject *parent = nullptr);

    /*! \brief Tests: keep secrets in \a memory (shared between stores) instead of the
     * keychain. Null: use the keychain. */
    void setMemoryBackend(std::shared_ptr<QHash<QString, QString>> memory);

    static QString keyFor(const QString &serverUrl, const QString &user);

    void read(const QString &key, Callback callback);
    void write(const QString &key, const QString &token, Callback callback = {});
    void remove(const QString &key, Callback callback = {});

private:
    void finishLater(Callback callback, Result result, const QString &token = {});

    QString m_service;
    std::shared_ptr<QHash<QString, QString>> m_memory;
};

} // namespace confab::client
