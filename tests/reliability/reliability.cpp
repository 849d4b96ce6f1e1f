// SPDX-License-Identifier: GPL-3.0-or-later
#include "reliability.h"

#include "auth/tokens.h"
#include "testclient.h"
#include "testserver.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTimer>
#include <csignal>

using namespace Qt::StringLiterals;

namespace confab::test {

bool longMode()
{
    return qEnvironmentVariableIntValue("CONFAB_LONG") != 0;
}

std::mt19937 &random()
{
    static std::mt19937 generator = [] {
        bool ok = false;
        quint32 seed = quint32(qEnvironmentVariableIntValue("CONFAB_SEED", &ok));
        if (!ok)
            seed = QRandomGenerator::system()->generate();
        qInfo("random seed %u (set CONFAB_SEED to replay)", seed);
        return std::mt19937(seed);
    }();
    return generator;
}

int randomBetween(int low, int high)
{
    return std::uniform_int_distribution<int>(low, high)(random());
}

// ---------------------------------------------------------------------------

ConfabdProcess::ConfabdProcess(const QString &program, const QString &dataDir)
    : m_program(program)
    , m_dataDir(dataDir)
{ }

ConfabdProcess::~ConfabdProcess()
{
    if (isRunning())
        kill9();
}

bool ConfabdProcess::start()
{
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(m_program);
    QStringList args {u"--data"_s, m_dataDir, u"--port"_s, QString::number(m_port)};
    for (const QString &kv : std::as_const(m_settings))
        args << u"--set"_s << kv;
    m_process->setArguments(args);
    m_process->setStandardErrorFile(QDir(m_dataDir).filePath(u"confabd.log"_s), QIODevice::Append);
    m_process->start();
    if (!m_process->waitForStarted(10000))
        return false;
    static const QRegularExpression line(u"listening on ws://127\\.0\\.0\\.1:(\\d+)"_s);
    QByteArray out;
    const bool ready = TestClient::waitUntil(
        [&] {
            out += m_process->readAllStandardOutput();
            return line.match(QString::fromUtf8(out)).hasMatch()
                || m_process->state() == QProcess::NotRunning;
        },
        20000);
    const auto match = line.match(QString::fromUtf8(out));
    if (!ready || !match.hasMatch()) {
        qWarning() << "confabd did not start:" << out << log().right(2000);
        return false;
    }
    m_port = quint16(match.captured(1).toUInt());
    return true;
}

bool ConfabdProcess::kill9()
{
    if (!m_process)
        return false;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    return m_process->waitForFinished(10000) && m_process->exitStatus() == QProcess::CrashExit;
}

bool ConfabdProcess::terminate()
{
    if (!m_process)
        return false;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    return m_process->waitForFinished(15000) && m_process->exitStatus() == QProcess::NormalExit
        && m_process->exitCode() == 0;
}

bool ConfabdProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QUrl ConfabdProcess::url() const
{
    return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_port));
}

QString ConfabdProcess::databasePath() const
{
    return QDir(m_dataDir).filePath(u"confab.sqlite3"_s);
}

QString ConfabdProcess::log() const
{
    QFile f(QDir(m_dataDir).filePath(u"confabd.log"_s));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// ---------------------------------------------------------------------------

TestDatabase::TestDatabase(const QString &location)
{
    static int counter = 0;
    m_name = u"reliability-%1"_s.arg(++counter);
    // The server may be writing; openDatabase() waits for its locks rather than fail.
    m_db = openDatabase(location, m_name);
}

TestDatabase::~TestDatabase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

QString TestDatabase::integrityCheck()
{
    const QVariantList rows = column(u"PRAGMA integrity_check"_s);
    QStringList lines;
    for (const auto &v : rows)
        lines << v.toString();
    return lines.join(u'\n');
}

QVariantList TestDatabase::column(const QString &sql, const QVariantList &binds)
{
    QVariantList values;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        qWarning() << sql << q.lastError().text();
        return values;
    }
    for (const auto &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        qWarning() << sql << q.lastError().text();
        return values;
    }
    while (q.next())
        values.append(q.value(0));
    return values;
}

QStringList seedAccounts(
    const QString &databasePath, const QString &prefix, int count, const QString &passwordHash)
{
    QStringList tokens;
    TestDatabase file(databasePath);
    if (!file.isOpen())
        return {};
    QSqlDatabase &db = file.db();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    db.transaction();
    QSqlQuery user(db);
    QSqlQuery token(db);
    user.prepare(u"INSERT INTO users(name, name_key, password_hash, created_ms) "
                 u"VALUES (?, ?, ?, ?)"_s);
    token.prepare(
        u"INSERT INTO tokens(hash, user_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)"_s);
    for (int i = 0; i < count; ++i) {
        const QString name = u"%1%2"_s.arg(prefix).arg(i);
        user.addBindValue(name);
        user.addBindValue(name.toLower());
        user.addBindValue(passwordHash);
        user.addBindValue(now);
        if (!user.exec()) {
            qWarning() << "seeding" << name << user.lastError().text();
            db.rollback();
            return {};
        }
        QByteArray raw(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(
            reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
        const QString t = QString::fromLatin1(
            raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        token.addBindValue(server::tokens::hash(t));
        token.addBindValue(user.lastInsertId());
        token.addBindValue(now);
        token.addBindValue(now + 24LL * 3600 * 1000);
        if (!token.exec()) {
            qWarning() << "seeding token" << token.lastError().text();
            db.rollback();
            return {};
        }
        tokens << t;
    }
    user.finish();
    token.finish();
    if (!db.commit())
        return {};
    return tokens;
}

// ---------------------------------------------------------------------------

// A QObject so that it dies by deleteLater: a cut runs inside the signals of the
// sockets it owns.
struct FaultProxy::Link : QObject
{
    enum class Fault
    {
        None,
        ServerToClient, //!< forward this many bytes to the client, then go deaf and cut
        ClientToServer, //!< forward this many bytes to the server (mid-frame), then cut
        Timed, //!< cut after a random time
    };
    QTcpSocket *client = nullptr;
    QTcpSocket *upstream = nullptr;
    Fault fault = Fault::None;
    qint64 budget = 0;
    bool deaf = false; //!< nothing more reaches the client
    bool gone = false;
    int serial = 0;
};

FaultProxy::FaultProxy(quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
{
    connect(&m_listener, &QTcpServer::newConnection, this, &FaultProxy::onConnection);
}

FaultProxy::~FaultProxy()
{
    const QList<Link *> links = m_links;
    for (Link *link : links) {
        link->client->disconnect(this);
        link->upstream->disconnect(this);
        link->client->abort();
        link->upstream->abort();
        delete link;
    }
}

bool FaultProxy::listen()
{
    return m_listener.listen(QHostAddress::LocalHost, 0);
}

QUrl FaultProxy::url() const
{
    return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_listener.serverPort()));
}

void FaultProxy::setFaults(bool on)
{
    m_faults = on;
    if (!on) {
        for (Link *link : std::as_const(m_links)) {
            if (!link->deaf)
                link->fault = Link::Fault::None;
        }
    }
}

void FaultProxy::onConnection()
{
    while (QTcpSocket *client = m_listener.nextPendingConnection()) {
        ++m_connections;
        auto *link = new Link;
        link->setParent(this);
        link->serial = m_connections;
        link->client = client;
        client->setParent(link);
        link->upstream = new QTcpSocket(link);
        m_links.append(link);
        if (m_faults) {
            // Every connection dies sooner or later; budgets are large enough for a
            // handshake and a resume, so each client still makes progress between cuts.
            const int pick = randomBetween(0, 99);
            if (pick < 50) {
                link->fault = Link::Fault::ServerToClient;
                link->budget = randomBetween(1500, 30000);
            } else if (pick < 75) {
                link->fault = Link::Fault::ClientToServer;
                link->budget = randomBetween(400, 15000);
            } else {
                link->fault = Link::Fault::Timed;
                QTimer::singleShot(randomBetween(20, 500), this, [this, serial = link->serial] {
                    Link *l = find(serial);
                    if (l && l->fault == Link::Fault::Timed && !l->gone) {
                        ++m_cutsTimed;
                        cut(l);
                    }
                });
            }
        }
        connect(client, &QTcpSocket::readyRead, this, [this, link] { relay(link, true); });
        connect(link->upstream, &QTcpSocket::readyRead, this, [this, link] { relay(link, false); });
        connect(link->upstream, &QTcpSocket::connected, this, [this, link] { relay(link, true); });
        // A clean close on one side is passed on after what was already received.
        connect(client, &QTcpSocket::disconnected, this, [this, link] {
            link->upstream->disconnectFromHost();
            release(link);
        });
        connect(link->upstream, &QTcpSocket::disconnected, this, [this, link] {
            relay(link, false);
            link->client->disconnectFromHost();
            release(link);
        });
        connect(link->upstream, &QTcpSocket::errorOccurred, this, [this, link] {
            if (link->upstream->state() == QAbstractSocket::UnconnectedState)
                cut(link);
        });
        link->upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }
}

void FaultProxy::relay(Link *link, bool fromClient)
{
    if (link->gone)
        return;
    QTcpSocket *from = fromClient ? link->client : link->upstream;
    QTcpSocket *to = fromClient ? link->upstream : link->client;
    if (fromClient && link->upstream->state() != QAbstractSocket::ConnectedState)
        return; // picked up on connected
    QByteArray data = from->readAll();
    if (data.isEmpty())
        return;
    if (!fromClient && link->deaf)
        return;
    const bool counted = fromClient ? link->fault == Link::Fault::ClientToServer
                                    : link->fault == Link::Fault::ServerToClient;
    if (!counted) {
        to->write(data);
        return;
    }
    if (data.size() < link->budget) {
        link->budget -= data.size();
        to->write(data);
        return;
    }
    to->write(data.left(link->budget));
    link->budget = 0;
    if (fromClient) {
        ++m_cutsC2S;
        to->flush();
        return cut(link);
    }
    // The client hears nothing more, but what it sends still reaches the server for a
    // moment: those requests commit and their acks are lost with the connection.
    ++m_cutsS2C;
    link->deaf = true;
    QTimer::singleShot(randomBetween(0, 40), this, [this, serial = link->serial] {
        if (Link *l = find(serial))
            cut(l);
    });
}

FaultProxy::Link *FaultProxy::find(int serial) const
{
    for (Link *link : m_links) {
        if (link->serial == serial)
            return link;
    }
    return nullptr;
}

void FaultProxy::cut(Link *link)
{
    if (link->gone)
        return;
    link->gone = true;
    link->client->abort();
    link->upstream->abort();
    release(link);
}

void FaultProxy::release(Link *link)
{
    if (!m_links.contains(link))
        return;
    if (link->client->state() != QAbstractSocket::UnconnectedState
        || link->upstream->state() != QAbstractSocket::UnconnectedState)
        return;
    m_links.removeOne(link);
    link->client->disconnect(this);
    link->upstream->disconnect(this);
    link->deleteLater();
}

} // namespace confab::test
