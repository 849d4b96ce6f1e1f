// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/postgres/pgaddress.h"

#include <QSqlError>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace confab::server::postgres {

bool PgAddress::isUrl(const QString &location)
{
    return location.startsWith("postgresql://"_L1) || location.startsWith("postgres://"_L1);
}

PgAddress PgAddress::fromUrl(const QString &url, QString *error)
{
    error->clear();
    PgAddress a;
    const QUrl u(url, QUrl::StrictMode);
    if (!isUrl(url) || !u.isValid()) {
        *error
            = u"database: expected postgresql://user:password@host:port/database, got '%1'"_s.arg(
                QUrl(url).toDisplayString(QUrl::RemovePassword));
        return a;
    }
    a.host = u.host(QUrl::FullyDecoded);
    a.port = u.port(5432);
    a.user = u.userName(QUrl::FullyDecoded);
    a.password = u.password(QUrl::FullyDecoded);
    a.database = u.path(QUrl::FullyDecoded).mid(1);
    QStringList options;
    const QUrlQuery query(u);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == "host"_L1) {
            a.host = value;
        } else if (key == "port"_L1) {
            bool ok = false;
            a.port = value.toInt(&ok);
            if (!ok)
                *error = u"database: port is not a number: '%1'"_s.arg(value);
        } else if (key == "user"_L1) {
            a.user = value;
        } else if (key == "dbname"_L1) {
            a.database = value;
        } else if (key.contains(u';') || value.contains(u';') || key.contains(u'=')) {
            *error = u"database: option '%1' cannot hold ';' or '='"_s.arg(key);
        } else {
            options.append(key + u'=' + value);
        }
    }
    a.options = options.join(u';');
    if (error->isEmpty() && a.database.isEmpty())
        *error = u"database: the URL names no database: '%1'"_s.arg(a.displayUrl());
    if (error->isEmpty() && a.host.isEmpty())
        *error = u"database: the URL names no host: '%1'"_s.arg(a.displayUrl());
    return a;
}

QString PgAddress::displayUrl() const
{
    QUrl u;
    u.setScheme(u"postgresql"_s);
    if (host.startsWith(u'/')) {
        u.setHost(u"localhost"_s);
        u.setQuery(u"host="_s + host);
    } else {
        u.setHost(host);
    }
    u.setPort(port);
    u.setUserName(user);
    u.setPath(u'/' + database);
    return u.toString();
}

QSqlDatabase openConnection(const PgAddress &address, const QString &connectionName,
    const QString &application, QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    db.setHostName(address.host);
    db.setPort(address.port);
    db.setUserName(address.user);
    db.setPassword(address.password);
    db.setDatabaseName(address.database);
    QString options
        = u"application_name=%1;connect_timeout=5;keepalives_idle=10;"
          "keepalives_interval=5;keepalives_count=3;tcp_user_timeout=20000"_s.arg(application);
    if (!address.options.isEmpty())
        options += u';' + address.options;
    db.setConnectOptions(options);
    if (!db.open() && error)
        *error = u"cannot connect to %1: %2"_s.arg(address.displayUrl(), db.lastError().text());
    return db;
}

} // namespace confab::server::postgres
