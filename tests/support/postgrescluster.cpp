// SPDX-License-Identifier: GPL-3.0-or-later
#include "postgrescluster.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStringList>
#include <algorithm>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace confab::test {

namespace {

// Debian keeps each major version's server programs out of PATH.
QString serverBinaries()
{
    const QFileInfo onPath(QStandardPaths::findExecutable(u"initdb"_s));
    if (onPath.exists())
        return onPath.absolutePath();
    QStringList versions
        = QDir(u"/usr/lib/postgresql"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
        [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &version : versions) {
        const QString folder = u"/usr/lib/postgresql/%1/bin"_s.arg(version);
        if (QFileInfo(folder + u"/initdb"_s).isExecutable())
            return folder;
    }
    return {};
}

} // namespace

PostgresCluster::~PostgresCluster()
{
    stop();
}

QString PostgresCluster::unavailableReason()
{
    if (serverBinaries().isEmpty())
        return u"PostgreSQL's server (initdb) is not installed (tools/install-deps installs it)"_s;
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
        return u"Qt's PostgreSQL driver QPSQL is not installed (Debian: libqt6sql6-psql)"_s;
    return {};
}

bool PostgresCluster::run(const QString &program, const QStringList &args, QString *error) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    // PostgreSQL's programs look up their own path from the current folder and return to
    // it: the build folder may be one the unprivileged user cannot enter (a checkout in
    // /root), the cluster's folder is theirs.
    process.setWorkingDirectory(m_dir.path());
    const QString path = m_binaries + u'/' + program;
    if (m_runAs.isEmpty())
        process.start(path, args);
    else
        process.start(u"runuser"_s, QStringList {u"-u"_s, m_runAs, u"--"_s, path} + args);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        process.kill();
        *error = u"%1 failed: %2"_s.arg(program, QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    return true;
}

bool PostgresCluster::start(QString *error)
{
    m_binaries = serverBinaries();
    if (!m_dir.isValid() || m_binaries.isEmpty()) {
        *error = u"no temporary folder, or no initdb"_s;
        return false;
    }
#ifdef Q_OS_UNIX
    if (::geteuid() == 0) {
        const passwd *account = ::getpwnam("postgres");
        if (!account)
            account = ::getpwnam("nobody");
        if (!account
            || ::chown(
                   QFile::encodeName(m_dir.path()).constData(), account->pw_uid, account->pw_gid)
                != 0) {
            *error = u"cannot hand the cluster's folder to an unprivileged user"_s;
            return false;
        }
        m_runAs = QString::fromLocal8Bit(account->pw_name);
    }
#endif
    const QString data = m_dir.filePath(u"data"_s);
    // --no-sync: the cluster is thrown away; fsync stays on while it runs, so that what the
    // tests see survive a restart is what a real server's would.
    if (!run(u"initdb"_s,
            {u"-D"_s, data, u"-U"_s, user(), u"-A"_s, u"trust"_s, u"-E"_s, u"UTF8"_s,
                u"--locale=C"_s, u"--no-sync"_s},
            error))
        return false;
    return restart(error);
}

bool PostgresCluster::restart(QString *error)
{
    const QString options = u"-k %1 -p %2 -c listen_addresses=''"_s.arg(m_dir.path()).arg(Port);
    m_running = run(u"pg_ctl"_s,
        {u"-D"_s, m_dir.filePath(u"data"_s), u"-l"_s, m_dir.filePath(u"postgres.log"_s), u"-o"_s,
            options, u"-w"_s, u"-t"_s, u"60"_s, u"start"_s},
        error);
    return m_running;
}

bool PostgresCluster::stop()
{
    if (!m_running)
        return true;
    QString error;
    m_running = !run(u"pg_ctl"_s,
        {u"-D"_s, m_dir.filePath(u"data"_s), u"-m"_s, u"immediate"_s, u"-w"_s, u"stop"_s}, &error);
    if (m_running)
        qWarning("PostgresCluster: %s", qPrintable(error));
    return !m_running;
}

QVariant queryValue(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next()) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return {};
    }
    return query.value(0);
}

QSqlDatabase PostgresCluster::connect(const QString &connectionName, const QString &database) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    db.setHostName(socketFolder());
    db.setPort(Port);
    db.setUserName(user());
    db.setDatabaseName(database);
    if (!db.open())
        qWarning("PostgresCluster: %s", qPrintable(db.lastError().text()));
    return db;
}

QString PostgresCluster::createDatabase(
    const QString &name, const QString &password, QString *error) const
{
    const QString connection = u"create-"_s + name;
    bool created = false;
    {
        QSqlDatabase admin = connect(connection);
        QSqlQuery create(admin);
        created = create.exec(u"CREATE DATABASE "_s + name);
        if (!created && error)
            *error = create.lastError().text();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!created)
        return {};
    const QString credentials = password.isEmpty() ? user() : user() + u':' + password;
    return u"postgresql://%1@localhost:%2/%3?host=%4"_s.arg(
        credentials, QString::number(Port), name, socketFolder());
}

} // namespace confab::test
