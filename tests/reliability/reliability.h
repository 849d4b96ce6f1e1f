// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>
#include <memory>
#include <random>

namespace confab::test {

/*! \brief CONFAB_LONG=1 (tools/reliability long) selects the long, heavier runs. */
bool longMode();
inline int scaled(int ci, int longRun)
{
    return longMode() ? longRun : ci;
}
/*! \brief True in the AddressSanitizer build, where every process runs several times slower. */
constexpr bool sanitizedBuild()
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}
/*! \brief A random generator seeded from CONFAB_SEED if set, so a failing run can be replayed. */
std::mt19937 &random();
int randomBetween(int low, int high);

/*!
 * \brief The real confabd binary on 127.0.0.1, restarted on the same data
 * folder and port. Its stderr goes to confabd.log in the data folder.
 */
class ConfabdProcess
{
public:
    ConfabdProcess(const QString &program, const QString &dataDir);
    ~ConfabdProcess();

    void setSettings(const QStringList &keyValues) { m_settings = keyValues; }
    bool start();
    bool kill9();
    bool terminate();
    bool isRunning() const;

    QUrl url() const;
    QString databasePath() const;
    QString log() const;

private:
    QString m_program;
    QString m_dataDir;
    QStringList m_settings;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

/*! \brief A short-lived connection of this test to a server's database: its SQLite file,
 * or its PostgreSQL URL (test::openDatabase()). */
class TestDatabase
{
public:
    explicit TestDatabase(const QString &location);
    ~TestDatabase();
    QSqlDatabase &db() { return m_db; }
    bool isOpen() const { return m_db.isOpen(); }
    /*! \brief SQLite's integrity_check: "ok" for a sound file. */
    QString integrityCheck();
    /*! \brief The first column of every row of \a sql. */
    QVariantList column(const QString &sql, const QVariantList &binds = {});

private:
    QString m_name;
    QSqlDatabase m_db;
};

/*!
 * \brief Creates \a count accounts named prefix0… with one token each straight
 * in the database, sharing \a passwordHash: a reconnect storm needs many
 * accounts, and Argon2id per account would dominate the test. Returns the tokens.
 */
QStringList seedAccounts(
    const QString &databasePath, const QString &prefix, int count, const QString &passwordHash);

/*!
 * \brief A TCP proxy on loopback between clients and the server that cuts
 * connections at random points: part way through what the server sends
 * (while still forwarding what the client sends, so requests are committed
 * but their acknowledgements never arrive), part way through what the client
 * sends (mid-frame), or after a random time.
 */
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    explicit FaultProxy(quint16 upstreamPort, QObject *parent = nullptr);
    ~FaultProxy() override;

    bool listen();
    QUrl url() const;
    /*! \brief Off: new connections and those already open are left alone. */
    void setFaults(bool on);

    int connections() const { return m_connections; }
    int cutsServerToClient() const { return m_cutsS2C; }
    int cutsClientToServer() const { return m_cutsC2S; }
    int cutsTimed() const { return m_cutsTimed; }

private:
    struct Link;
    void onConnection();
    void relay(Link *link, bool fromClient);
    void cut(Link *link);
    Link *find(int serial) const;
    void release(Link *link);

    QTcpServer m_listener;
    quint16 m_upstreamPort;
    bool m_faults = true;
    QList<Link *> m_links;
    int m_connections = 0;
    int m_cutsS2C = 0;
    int m_cutsC2S = 0;
    int m_cutsTimed = 0;
};

} // namespace confab::test
