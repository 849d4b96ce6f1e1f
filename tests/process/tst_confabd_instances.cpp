// SPDX-License-Identifier: GPL-3.0-or-later
// Three real confabd on one throw-away PostgreSQL, behind the real HAProxy with the committed
// packaging/proxy/haproxy-confabd-instances.cfg (only re-addressed): clients spread over the
// instances see one room's events alike; when an instance is killed (SIGKILL) under load its
// clients reconnect through HAProxy to the others, resume from their seq cursor and resend
// what was not acknowledged, and nothing is lost or doubled; when PostgreSQL restarts under
// the instances they reconnect by themselves. haproxy is required (tools/install-deps
// installs it); without PostgreSQL the test is skipped.
#include "confabdprocess.h"
#include "postgrescluster.h"
#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>
#include <QtTest>
#include <csignal>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::RoomEvent;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {

QString findProgram(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/usr/local/sbin"_s});
    return path;
}

QByteArray readSource(const QString &relative)
{
    QFile file(QStringLiteral(CONFAB_SOURCE_DIR) + u'/' + relative);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/*!
 * \brief One person in the room, behaving as docs/protocol.md §8 and §10 ask of an app:
 * an outbox resent with the same txn, and on every reconnect `authenticate` with the token,
 * a pipelined `sync` from the cursor, event frames buffered until its reply is applied.
 *
 * Whatever the server does wrong on the way (a gap, a seq twice on one connection, a
 * refused resume) is written down in violations() rather than papered over.
 */
class Member
{
public:
    Member(QString name, QUrl url, QSslConfiguration tls)
        : m_name(std::move(name))
        , m_url(std::move(url))
        , m_tls(std::move(tls))
    { }
    ~Member() { dropSocket(); }
    Member(const Member &) = delete;
    Member &operator=(const Member &) = delete;

    /*! \brief Connects, registers, joins \a room (0: creates it) and syncs; false if a step
     * failed. */
    bool start(qint64 room)
    {
        m_setup = true;
        if (!openSocket() || !waitUntil([this] { return m_phase == Phase::Open; }, 10000))
            return false;
        auto reply = call(req::registerAccount(m_name, u"password-123"_s), 20000);
        if (!reply || reply->type != ServerFrameType::Result)
            return false;
        m_token = reply->data().value("token"_L1).toString();
        reply = call(room == 0 ? req::createRoom(u"everyone"_s) : req::join(room));
        if (!reply || reply->type != ServerFrameType::Result)
            return false;
        m_room = room != 0
            ? room
            : qint64(reply->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        m_setup = false;
        sendSync();
        return waitUntil([this] { return m_phase == Phase::Live; }, 10000);
    }

    /*! \brief Puts one message in the outbox; it goes out now if the connection allows. */
    void send()
    {
        const QString txn = u"%1-%2"_s.arg(m_name).arg(++m_sent);
        m_outbox.append({txn, u"%1 says %2"_s.arg(m_name).arg(m_sent), false});
        pump();
    }

    qint64 room() const { return m_room; }
    /*! \brief The `serverId` of the last hello (§19.1). */
    QString serverId() const { return m_serverId; }
    QString name() const { return m_name; }
    qint64 cursor() const { return m_cursor; }
    bool isLive() const { return m_phase == Phase::Live; }
    bool outboxEmpty() const { return m_outbox.isEmpty(); }
    int reconnects() const { return m_reconnects; }
    /*! \brief Sends a connection took with it unanswered; of those, the ones `sync` then
     * showed stored. */
    int unanswered() const { return m_unanswered; }
    int storedUnanswered() const { return m_storedUnanswered; }
    const QList<RoomEvent> &log() const { return m_log; }
    const QHash<QString, qint64> &acked() const { return m_acked; }
    const QStringList &violations() const { return m_violations; }
    qint64 maxAckedSeq() const
    {
        qint64 top = 0;
        for (const qint64 seq : m_acked)
            top = qMax(top, seq);
        return top;
    }

    static bool waitUntil(const std::function<bool()> &done, int timeoutMs)
    {
        return test::TestClient::waitUntil(done, timeoutMs);
    }

private:
    enum class Phase
    {
        Down,
        Opening,
        Open, //!< hello received, not signed in (setup only)
        Syncing, //!< authenticate and sync sent, events buffered
        Live,
    };
    struct Outgoing
    {
        QString txn;
        QString text;
        bool inFlight = false;
    };

    bool openSocket()
    {
        m_phase = Phase::Opening;
        // A fresh socket per connection: nothing of the dead one's state can leak into it.
        dropSocket();
        m_socket = std::make_unique<QWebSocket>();
        m_socket->setSslConfiguration(m_tls);
        QWebSocket *socket = m_socket.get();
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
            [this](const QString &text) { onText(text); });
        QObject::connect(socket, &QWebSocket::disconnected, socket, [this, socket] {
            if (socket == m_socket.get())
                onDisconnected();
        });
        m_socket->open(m_url);
        return true;
    }

    void dropSocket()
    {
        if (!m_socket)
            return;
        // Its signals would reach this half-destroyed member, or one already on a new socket.
        QObject::disconnect(m_socket.get(), nullptr, nullptr, nullptr);
        m_socket->abort();
        m_socket.release()->deleteLater();
    }

    void onDisconnected()
    {
        m_phase = Phase::Down;
        for (Outgoing &o : m_outbox) {
            m_unanswered += o.inFlight ? 1 : 0;
            o.inFlight = false;
        }
        m_sendIds.clear();
        if (m_setup)
            return;
        // Retry soon: HAProxy answers 503 while no instance passes its health check.
        QTimer::singleShot(150, &m_context, [this] {
            ++m_reconnects;
            openSocket();
        });
    }

    std::optional<ServerFrame> call(const protocol::OutgoingRequest &request, int timeoutMs = 10000)
    {
        const qint64 id = m_nextId++;
        m_socket->sendTextMessage(QString::fromUtf8(request.encode(double(id))));
        if (!waitUntil([&] { return m_replies.contains(id) || m_phase == Phase::Down; }, timeoutMs))
            return std::nullopt;
        return m_replies.contains(id) ? std::optional(m_replies.take(id)) : std::nullopt;
    }

    void transmit(const protocol::OutgoingRequest &request, qint64 id)
    {
        m_socket->sendTextMessage(QString::fromUtf8(request.encode(double(id))));
    }

    void sendSync()
    {
        m_phase = Phase::Syncing;
        m_buffer.clear();
        m_syncId = m_nextId++;
        transmit(req::sync({{m_room, m_cursor}}), m_syncId);
    }

    void pump()
    {
        if (m_phase != Phase::Live)
            return;
        int inFlight = 0;
        for (Outgoing &o : m_outbox) {
            if (o.inFlight) {
                ++inFlight;
                continue;
            }
            if (inFlight >= MaxInFlight)
                return;
            o.inFlight = true;
            ++inFlight;
            const qint64 id = m_nextId++;
            m_sendIds.insert(id, o.txn);
            transmit(req::send(m_room, o.txn, o.text), id);
        }
    }

    void onText(const QString &text)
    {
        const auto frame = protocol::decodeServerFrame(text.toUtf8());
        if (!frame)
            return;
        switch (frame->type) {
        case ServerFrameType::Hello:
            m_serverId = frame->body.value("serverId"_L1).toString();
            if (m_setup) {
                m_phase = Phase::Open;
            } else {
                m_authId = m_nextId++;
                transmit(req::authenticate(m_token), m_authId);
                sendSync();
            }
            return;
        case ServerFrameType::Event:
            if (const auto event = frame->roomEvent(); event && event->room == m_room) {
                if (m_phase == Phase::Syncing)
                    m_buffer.append(*event);
                else if (m_phase == Phase::Live)
                    apply(*event, "live");
            }
            return;
        case ServerFrameType::Result:
        case ServerFrameType::Error:
            onReply(*frame);
            return;
        default:
            return;
        }
    }

    void onReply(const ServerFrame &frame)
    {
        const qint64 id = frame.id.isDouble() ? qint64(frame.id.toDouble()) : -1;
        if (id == m_authId) {
            if (frame.type == ServerFrameType::Error) {
                // PostgreSQL may be down a moment; anything else is a refused resume.
                if (frame.error != ErrorCode::StorageError && frame.error != ErrorCode::Internal)
                    m_violations << u"%1: authenticate refused: %2"_s.arg(m_name, frame.message);
                m_socket->abort();
            }
        } else if (id == m_syncId) {
            if (frame.type == ServerFrameType::Error) {
                if (frame.error != ErrorCode::StorageError && frame.error != ErrorCode::Internal)
                    m_violations << u"%1: sync refused: %2"_s.arg(m_name, frame.message);
                m_socket->abort();
                return;
            }
            applySync(frame.data());
        } else if (m_sendIds.contains(id)) {
            onSendReply(m_sendIds.take(id), frame);
        } else if (m_setup) {
            m_replies.insert(id, frame);
        }
    }

    void applySync(const QJsonObject &data)
    {
        for (const QJsonValue &entry : data.value("rooms"_L1).toArray()) {
            const QJsonObject room = entry.toObject();
            if (qint64(room.value("room"_L1).toObject().value("id"_L1).toDouble()) != m_room)
                continue;
            if (room.value("gap"_L1).toBool())
                m_violations << u"%1: sync from %2 has a gap"_s.arg(m_name).arg(m_cursor);
            for (const QJsonValue &e : room.value("events"_L1).toArray()) {
                if (const auto event = RoomEvent::fromServer(e.toObject()))
                    apply(*event, "sync");
            }
        }
        // Frames that raced the reply: what it already carried is dropped, as §7.3 says.
        for (const RoomEvent &event : std::as_const(m_buffer)) {
            if (event.seq > m_cursor)
                apply(event, "buffered");
        }
        m_buffer.clear();
        m_phase = Phase::Live;
        // Outbox step 4: a txn of ours in the log was stored before the connection broke.
        for (qsizetype i = m_outbox.size() - 1; i >= 0; --i) {
            for (const RoomEvent &event : std::as_const(m_log)) {
                if (event.sender == m_name && event.txn == m_outbox[i].txn) {
                    m_acked.insert(event.txn, event.seq);
                    m_outbox.removeAt(i);
                    ++m_storedUnanswered;
                    break;
                }
            }
        }
        pump();
    }

    void apply(const RoomEvent &event, const char *how)
    {
        if (event.seq != m_cursor + 1) {
            m_violations << u"%1: %2 event seq %3 after cursor %4"_s.arg(m_name, QLatin1String(how))
                                .arg(event.seq)
                                .arg(m_cursor);
            if (event.seq <= m_cursor)
                return;
        }
        m_log.append(event);
        m_cursor = event.seq;
    }

    void onSendReply(const QString &txn, const ServerFrame &frame)
    {
        const auto it = std::find_if(
            m_outbox.begin(), m_outbox.end(), [&](const Outgoing &o) { return o.txn == txn; });
        if (it == m_outbox.end())
            return;
        if (frame.type == ServerFrameType::Result) {
            const qint64 seq = qint64(frame.data().value("seq"_L1).toDouble());
            if (m_acked.contains(txn) && m_acked.value(txn) != seq)
                m_violations << u"%1: %2 acknowledged as %3 and %4"_s.arg(m_name, txn)
                                    .arg(m_acked.value(txn))
                                    .arg(seq);
            m_acked.insert(txn, seq);
            m_outbox.erase(it);
            pump();
            return;
        }
        switch (frame.error) {
        case ErrorCode::RateLimited:
        case ErrorCode::StorageError:
        case ErrorCode::ShuttingDown:
        case ErrorCode::Internal: {
            // Outbox step 5: the same txn again, later.
            const int delay = frame.retryAfterMs > 0 ? int(frame.retryAfterMs) : 200;
            QTimer::singleShot(delay, &m_context, [this, txn] {
                for (Outgoing &o : m_outbox) {
                    if (o.txn == txn)
                        o.inFlight = false;
                }
                pump();
            });
            return;
        }
        default:
            m_violations << u"%1: send %2 refused: %3"_s.arg(m_name, txn, frame.message);
            m_outbox.erase(it);
        }
    }

    static constexpr int MaxInFlight = 4;

    QString m_name;
    QUrl m_url;
    QSslConfiguration m_tls;
    QObject m_context; //!< for timers: they die with the member, not with a socket
    std::unique_ptr<QWebSocket> m_socket;
    Phase m_phase = Phase::Down;
    bool m_setup = false;
    QString m_token;
    QString m_serverId;
    qint64 m_room = 0;
    qint64 m_nextId = 1;
    qint64 m_authId = -1;
    qint64 m_syncId = -1;
    QHash<qint64, ServerFrame> m_replies; //!< setup calls only
    QHash<qint64, QString> m_sendIds; //!< request id → txn, on this connection
    qint64 m_cursor = 0;
    QList<RoomEvent> m_log;
    QList<RoomEvent> m_buffer;
    QList<Outgoing> m_outbox;
    QHash<QString, qint64> m_acked; //!< txn → seq
    int m_sent = 0;
    int m_reconnects = 0;
    int m_unanswered = 0;
    int m_storedUnanswered = 0;
    QStringList m_violations;
};

} // namespace

class TestConfabdInstances : public QObject
{
    Q_OBJECT

    static constexpr int Instances = 3;
    static constexpr int MembersCount = 6;

    test::PostgresCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_url;
    QString m_cert = m_dir.filePath(u"cert.pem"_s);
    std::vector<std::unique_ptr<test::ConfabdProcess>> m_servers;
    QProcess m_haproxy;
    quint16 m_haproxyPort = 0;
    std::vector<std::unique_ptr<Member>> m_members;
    int m_late = 0; //!< newcomers that read the history

    QUrl haproxyUrl() const { return QUrl(u"wss://127.0.0.1:%1"_s.arg(m_haproxyPort)); }

    /*! \brief The committed file, pointed at this test's instances, port and certificate. */
    QByteArray haproxyConfig(const QString &pem) const
    {
        QByteArray config = readSource(u"packaging/proxy/haproxy-confabd-instances.cfg"_s);
        QList<std::pair<QByteArray, QByteArray>> replacements {
            {"bind :443 ssl", "bind 127.0.0.1:" + QByteArray::number(m_haproxyPort) + " ssl"},
            {"/etc/haproxy/certs/chat.example.org.pem", pem.toUtf8()},
            // No syslog in a test; HAProxy's own errors still reach stderr.
            {"log /dev/log local0", ""},
            {"log global", ""},
        };
        for (int i = 0; i < Instances; ++i) {
            replacements.append({"127.0.0.1:" + QByteArray::number(8747 + i) + '\n',
                "127.0.0.1:" + QByteArray::number(m_servers[size_t(i)]->port()) + '\n'});
        }
        for (const auto &[from, to] : replacements) {
            // The test must run the file as committed, only re-addressed.
            if (!config.contains(from)) {
                qWarning() << "not in the committed config:" << from;
                return {};
            }
            config.replace(from, to);
        }
        return config;
    }

    /*! \brief Sends from every member every \a intervalMs for \a durationMs; while it runs,
     * \a during is called once after \a atMs. */
    void load(
        int durationMs, int intervalMs, int atMs = -1, const std::function<void()> &during = {})
    {
        QTimer tick;
        tick.setInterval(intervalMs);
        QObject::connect(&tick, &QTimer::timeout, &tick, [this] {
            for (const auto &m : m_members)
                m->send();
        });
        tick.start();
        QElapsedTimer clock;
        clock.start();
        bool done = during == nullptr;
        Member::waitUntil(
            [&] {
                if (!done && clock.elapsed() >= atMs) {
                    done = true;
                    during();
                }
                return clock.elapsed() >= durationMs;
            },
            durationMs + 60000);
    }

    /*! \brief Waits until every member is live, has its outbox acknowledged and holds every
     * event; then checks that all hold the same log, every acknowledged message exactly once
     * at its seq, and that nothing went wrong on the way. */
    void verifyConverged(int timeoutMs)
    {
        qint64 top = 0;
        const bool settled = Member::waitUntil(
            [&] {
                top = 0;
                for (const auto &m : m_members)
                    top = std::max({top, m->cursor(), m->maxAckedSeq()});
                for (const auto &m : m_members) {
                    if (!m->isLive() || !m->outboxEmpty() || m->cursor() != top)
                        return false;
                }
                return true;
            },
            timeoutMs);
        QStringList state;
        for (const auto &m : m_members) {
            state << u"%1 live=%2 outbox-empty=%3 cursor=%4"_s.arg(m->name())
                         .arg(m->isLive())
                         .arg(m->outboxEmpty())
                         .arg(m->cursor());
        }
        QVERIFY2(settled, qPrintable(u"not settled at seq %1: "_s.arg(top) + state.join(u"; ")));

        QStringList violations;
        for (const auto &m : m_members)
            violations << m->violations();
        QVERIFY2(violations.isEmpty(), qPrintable(violations.mid(0, 60).join(u'\n')));

        const QList<RoomEvent> &reference = m_members.front()->log();
        for (const auto &m : m_members) {
            // Gap-free from the room's first event, in seq order.
            const QList<RoomEvent> &log = m->log();
            QCOMPARE(log.size(), qsizetype(top));
            for (qsizetype i = 0; i < log.size(); ++i) {
                QCOMPARE(log[i].seq, qint64(i + 1));
                QCOMPARE(log[i].id, reference[i].id);
                QCOMPARE(log[i].txn, reference[i].txn);
                QCOMPARE(log[i].sender, reference[i].sender);
            }
        }
        // Every acknowledged message is in the log once, where its ack said, and nothing else
        // of ours is: a resend stored twice would be a second message with the same txn.
        QHash<QString, int> seen;
        for (const RoomEvent &event : reference) {
            if (!event.txn.isEmpty())
                ++seen[event.sender + u'/' + event.txn];
        }
        qsizetype acknowledged = 0;
        for (const auto &m : m_members) {
            for (auto it = m->acked().cbegin(); it != m->acked().cend(); ++it) {
                ++acknowledged;
                QVERIFY2(it.value() >= 1 && it.value() <= top, qPrintable(it.key()));
                const RoomEvent &event = reference[it.value() - 1];
                QCOMPARE(event.txn, it.key());
                QCOMPARE(event.sender, m->name());
                QCOMPARE(seen.value(m->name() + u'/' + it.key()), 1);
            }
        }
        QCOMPARE(qsizetype(seen.size()), acknowledged);
    }

    /*! \brief The events a newcomer reads from the database through HAProxy: what was
     * acknowledged outlives every instance's memory. */
    void verifyStored()
    {
        test::TestClient late;
        late.socket().setSslConfiguration(test::pinnedTo(m_cert));
        QVERIFY(late.open(haproxyUrl()));
        QVERIFY(late.registerUser(u"late%1"_s.arg(++m_late)));
        const qint64 room = m_members.front()->room();
        const auto joined = late.request(req::join(room));
        QVERIFY(joined && joined->type == ServerFrameType::Result);
        const QList<RoomEvent> &reference = m_members.front()->log();
        QList<RoomEvent> stored;
        while (stored.size() < reference.size()) {
            const auto page = late.request(req::historyAfter(room, stored.size(), 200));
            QVERIFY(page && page->type == ServerFrameType::Result);
            const QJsonArray events = page->data().value("events"_L1).toArray();
            QVERIFY(!events.isEmpty());
            for (const QJsonValue &e : events) {
                const auto event = RoomEvent::fromServer(e.toObject());
                QVERIFY(event);
                stored.append(*event);
            }
        }
        for (qsizetype i = 0; i < reference.size(); ++i) {
            QCOMPARE(stored[i].seq, reference[i].seq);
            QCOMPARE(stored[i].id, reference[i].id);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString haproxy = findProgram(u"haproxy"_s);
        QVERIFY2(!haproxy.isEmpty(), "haproxy is not installed (tools/install-deps installs it)");
        const QString unavailable = test::PostgresCluster::unavailableReason();
        if (!unavailable.isEmpty())
            QSKIP(qPrintable(unavailable));
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_cluster.start(&error), qPrintable(error));
        m_url = m_cluster.createDatabase(u"chat"_s, {}, &error);
        QVERIFY2(!m_url.isEmpty(), qPrintable(error));

        // One after another: the first makes the tables and the server's identity, which the
        // others get a copy of, so that apps see one server whichever instance they reach.
        for (int i = 0; i < Instances; ++i) {
            const QString data = m_dir.filePath(u"data%1"_s.arg(i));
            QVERIFY(QDir().mkpath(data));
            if (i > 0) {
                QProcess copy;
                copy.start(u"cp"_s, {u"-a"_s, m_dir.filePath(u"data0/identity"_s), data});
                QVERIFY(copy.waitForFinished(10000) && copy.exitCode() == 0);
            }
            auto server = std::make_unique<test::ConfabdProcess>();
            QVERIFY(server->start({u"--data"_s, data, u"--set"_s, u"database="_s + m_url}));
            m_servers.push_back(std::move(server));
        }

        const QString key = m_dir.filePath(u"key.pem"_s);
        QVERIFY(test::makeCertificate(m_cert, key, u"127.0.0.1"_s));
        QFile cert(m_cert);
        QFile keyFile(key);
        QVERIFY(cert.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        const QString pem = m_dir.filePath(u"haproxy.pem"_s);
        QVERIFY(test::writeFile(pem, cert.readAll() + keyFile.readAll()));
        m_haproxyPort = test::freePort();
        QVERIFY(m_haproxyPort != 0);
        const QByteArray config = haproxyConfig(pem);
        QVERIFY(!config.isEmpty());
        const QString path = m_dir.filePath(u"haproxy.cfg"_s);
        QVERIFY(test::writeFile(path, config));

        m_haproxy.setProcessChannelMode(QProcess::MergedChannels);
        m_haproxy.start(haproxy, {u"-db"_s, u"-f"_s, path});
        QVERIFY(m_haproxy.waitForStarted(5000));
        const bool up = Member::waitUntil(
            [this] {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_haproxyPort);
                return probe.waitForConnected(200) || m_haproxy.state() == QProcess::NotRunning;
            },
            10000);
        QVERIFY2(up && m_haproxy.state() == QProcess::Running, m_haproxy.readAll().constData());
    }

    void cleanup()
    {
        if (!QTest::currentTestFailed())
            return;
        // What the instances said about the database and each other explains most failures.
        for (const auto &server : m_servers) {
            const QList<QByteArray> lines = server->log().split('\n');
            qWarning().noquote() << "instance on port" << server->port() << "last said:\n"
                                 << lines.mid(qMax(0, int(lines.size()) - 40)).join('\n');
        }
    }

    void cleanupTestCase()
    {
        m_members.clear();
        if (m_haproxy.state() != QProcess::NotRunning) {
            m_haproxy.terminate();
            if (!m_haproxy.waitForFinished(10000))
                m_haproxy.kill();
        }
        m_servers.clear();
    }

    void clientsOnEveryInstanceSeeOneOrder()
    {
        qint64 room = 0;
        for (int i = 0; i < MembersCount; ++i) {
            auto member
                = std::make_unique<Member>(u"m%1"_s.arg(i), haproxyUrl(), test::pinnedTo(m_cert));
            QVERIFY2(member->start(room), qPrintable(member->name()));
            room = member->room();
            m_members.push_back(std::move(member));
        }
        // HAProxy spread them: every instance signed some in.
        for (const auto &server : m_servers)
            QVERIFY2(server->waitForLog("sign-in by registration"), server->log().constData());
        // ... and each said it is the same server.
        for (const auto &m : m_members) {
            QVERIFY(!m->serverId().isEmpty());
            QCOMPARE(m->serverId(), m_members.front()->serverId());
        }

        load(1000, 100);
        verifyConverged(15000);
    }

    void killedInstanceClientsResumeElsewhere()
    {
        QVERIFY(!m_members.empty());
        // SIGKILL one instance in the middle of the load: its clients' sends may or may not
        // have been stored, and they find out only by resuming elsewhere.
        load(3000, 60, 1000, [this] {
            // A burst first, killed before any reply can be read: its clients' sends go
            // unanswered, to be resent after the resume.
            for (int i = 0; i < 4; ++i) {
                for (const auto &m : m_members)
                    m->send();
            }
            m_servers.front()->signal(SIGKILL);
        });
        verifyConverged(30000);
        int moved = 0;
        int unanswered = 0;
        int storedUnanswered = 0;
        for (const auto &m : m_members) {
            moved += m->reconnects() > 0 ? 1 : 0;
            unanswered += m->unanswered();
            storedUnanswered += m->storedUnanswered();
        }
        QVERIFY2(moved > 0 && moved < MembersCount, qPrintable(QString::number(moved)));
        // The resend path ran: without it the outboxes above would not have emptied.
        QVERIFY(unanswered > 0);
        qInfo() << unanswered << "sends went unanswered," << storedUnanswered
                << "of them found stored by sync";
        verifyStored();
    }

    void postgresRestartLosesNothing()
    {
        QVERIFY(!m_members.empty());
        QString error;
        load(4000, 100, 1000, [&] {
            QVERIFY(m_cluster.stop());
            QTest::qWait(1000);
            QVERIFY2(m_cluster.restart(&error), qPrintable(error));
        });
        verifyConverged(30000);
        // After the restart, messages still cross instances: one more round from everyone.
        load(500, 100);
        verifyConverged(15000);
        verifyStored();
    }
};

QTEST_GUILESS_MAIN(TestConfabdInstances)
#include "tst_confabd_instances.moc"
