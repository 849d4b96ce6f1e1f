// SPDX-License-Identifier: GPL-3.0-or-later
// Plain HTTP on the WebSocket port (/healthz, /metrics and the refusals), through real
// sockets on 127.0.0.1 against a server with a real SQLite file.
#include "clientpool.h"
#include "protocol/requestbuilder.h"
#include "testclient.h"
#include "testserver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {

struct HttpReply
{
    int status = 0; //!< 0: no complete answer
    QByteArray head;
    QByteArray body;
    bool closedByServer = false;

    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.first(colon).trimmed().toLower() == name.toLower())
                return line.sliced(colon + 1).trimmed();
        }
        return {};
    }
};

/*!
 * Sends \a request as is and reads until the server closes. The server runs on this
 * thread, so the wait turns the event loop rather than blocking in waitForReadyRead.
 */
HttpReply exchange(quint16 port, const QByteArray &request, int timeoutMs = 8000)
{
    HttpReply reply;
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!test::TestClient::waitUntil(
            [&] { return s.state() == QAbstractSocket::ConnectedState; }, timeoutMs))
        return reply;
    s.write(request);
    QByteArray all;
    reply.closedByServer = test::TestClient::waitUntil(
        [&] {
            all += s.readAll();
            return s.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    all += s.readAll();
    const qsizetype end = all.indexOf("\r\n\r\n");
    if (end < 0)
        return reply;
    reply.head = all.first(end);
    reply.body = all.sliced(end + 4);
    const QList<QByteArray> statusLine = reply.head.split('\r').first().split(' ');
    if (statusLine.size() >= 2 && statusLine[0] == "HTTP/1.1")
        reply.status = statusLine[1].toInt();
    return reply;
}

HttpReply get(quint16 port, const QByteArray &path, const QByteArray &extraHeaders = {})
{
    return exchange(
        port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n");
}

/*!
 * Parses the Prometheus text format 0.0.4 strictly: every line a comment, HELP, TYPE or
 * a sample of a family whose TYPE came first. Returns samples by "name{labels}"; an empty
 * hash and \a error if anything is off.
 */
QHash<QString, double> parseExposition(const QByteArray &text, QString *error)
{
    static const QRegularExpression sample(
        u"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (\\S+)$"_s);
    static const QRegularExpression type(
        u"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$"_s);
    static const QRegularExpression help(u"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$"_s);
    QHash<QString, QString> types;
    QSet<QString> helped;
    QHash<QString, double> samples;
    if (!text.endsWith('\n')) {
        *error = u"does not end with a newline"_s;
        return {};
    }
    for (const QByteArray &rawLine : text.chopped(1).split('\n')) {
        const QString line = QString::fromUtf8(rawLine);
        if (const auto m = type.match(line); m.hasMatch()) {
            types.insert(m.captured(1), m.captured(2));
            continue;
        }
        if (const auto m = help.match(line); m.hasMatch()) {
            helped.insert(m.captured(1));
            continue;
        }
        const auto m = sample.match(line);
        if (!m.hasMatch()) {
            *error = u"not a sample: '%1'"_s.arg(line);
            return {};
        }
        QString family = m.captured(1);
        if (!types.contains(family)) {
            for (const QString &suffix : {u"_bucket"_s, u"_sum"_s, u"_count"_s}) {
                if (family.endsWith(suffix)
                    && types.value(family.chopped(suffix.size())) == "histogram"_L1)
                    family.chop(suffix.size());
            }
        }
        if (!types.contains(family) || !helped.contains(family)) {
            *error = u"sample '%1' has no TYPE and HELP before it"_s.arg(line);
            return {};
        }
        bool ok = false;
        const QString value = m.captured(3);
        const double v = value == "+Inf"_L1 ? qInf() : value.toDouble(&ok);
        if (!ok && value != "+Inf"_L1) {
            *error = u"value of '%1' is not a number"_s.arg(line);
            return {};
        }
        samples.insert(m.captured(1) + m.captured(2), v);
    }
    return samples;
}

} // namespace

namespace {

// What a second writer would hold: SQLite's write lock, or on PostgreSQL the table every
// health probe writes, until the holder rolls back.
bool takeTheWriteLock(QSqlDatabase &holder)
{
    QSqlQuery q(holder);
    const bool postgres = holder.driverName() == "QPSQL"_L1;
    const bool ok = postgres
        ? q.exec(u"BEGIN"_s) && q.exec(u"LOCK TABLE server_settings IN ACCESS EXCLUSIVE MODE"_s)
        : q.exec(u"BEGIN EXCLUSIVE"_s);
    if (!ok)
        qWarning() << "cannot take the write lock:" << q.lastError().text();
    return ok;
}

} // namespace

class TestHttpProbe : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};

    quint16 port() const { return m_server->server()->port(); }

    QHash<QString, double> scrape()
    {
        const HttpReply r = get(port(), "/metrics");
        if (r.status != 200) {
            qWarning() << "/metrics answered" << r.status << r.body;
            return {};
        }
        QString error;
        QHash<QString, double> samples = parseExposition(r.body, &error);
        if (samples.isEmpty())
            qWarning() << "/metrics is not Prometheus text:" << error;
        return samples;
    }

    /*!
     * Sends a WebSocket upgrade with \a extraHeaders on \a socket (one of its own if null)
     * and returns the response head and the first byte after it: 0x81 for a text frame
     * (hello), 0x88 for a close. Empty or without that byte on a timeout.
     */
    QByteArray upgradeAndReadFirstFrame(
        const QByteArray &extraHeaders, QTcpSocket *socket = nullptr)
    {
        QTcpSocket own;
        QTcpSocket &s = socket ? *socket : own;
        s.connectToHost(QHostAddress::LocalHost, port());
        if (!s.waitForConnected(3000))
            return {};
        s.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\n"
            + extraHeaders + "\r\n");
        QByteArray all;
        test::TestClient::waitUntil(
            [&] {
                all += s.readAll();
                const qsizetype end = all.indexOf("\r\n\r\n");
                return (end >= 0 && all.size() > end + 4)
                    || s.state() == QAbstractSocket::UnconnectedState;
            },
            8000);
        const qsizetype end = all.indexOf("\r\n\r\n");
        return end < 0 ? all : all.first(std::min(all.size(), end + 5));
    }

    bool startWith(const std::function<void(server::ServerConfig &)> &configure)
    {
        m_server = std::make_unique<test::TestServer>();
        configure(m_server->config());
        return m_server->start();
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void healthzAnswersOkAndCloses()
    {
        const HttpReply r = get(port(), "/healthz");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("ok\n"));
        QCOMPARE(r.header("connection"), QByteArray("close"));
        QCOMPARE(r.header("content-length").toInt(), r.body.size());
        QVERIFY(r.closedByServer);

        // HEAD: the same answer without the body.
        const HttpReply head = exchange(port(), "HEAD /healthz HTTP/1.1\r\n\r\n");
        QCOMPARE(head.status, 200);
        QVERIFY(head.body.isEmpty());
        QCOMPARE(head.header("content-length"), QByteArray("3"));
    }

    void metricsMoveWithRealTraffic()
    {
        QHash<QString, double> before = scrape();
        QVERIFY(!before.isEmpty());
        QCOMPARE(before.value(u"confabd_connections"_s, -1), 0.0);
        QCOMPARE(before.value(u"confabd_signed_in_users"_s, -1), 0.0);
        const HttpReply r = get(port(), "/metrics");
        QCOMPARE(r.header("content-type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        for (const QString &name :
            {u"confabd_messages_accepted_total"_s, u"confabd_deliveries_total"_s,
                u"confabd_login_failures_total"_s, u"confabd_uploads_total"_s,
                u"confabd_upload_bytes_total"_s, u"confabd_outbound_queued_bytes"_s,
                u"process_start_time_seconds"_s, u"confabd_commit_duration_seconds_count"_s,
                u"confabd_commit_duration_seconds_sum"_s,
                u"confabd_commit_duration_seconds_bucket{le=\"+Inf\"}"_s,
                u"confabd_rate_limited_total{kind=\"requests\"}"_s,
                u"confabd_rate_limited_total{kind=\"login_name\"}"_s})
            QVERIFY2(before.contains(name), qPrintable(name));
        QVERIFY(r.body.contains("confabd_build_info{version=\""));
        QVERIFY(before.value(u"process_start_time_seconds"_s)
            > QDateTime::currentSecsSinceEpoch() - 3600);

        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        const auto joined = bob->request(req::join(room));
        QVERIFY(joined && joined->type == ServerFrameType::Result);

        before = scrape();
        QCOMPARE(before.value(u"confabd_connections"_s), 2.0);
        QCOMPARE(before.value(u"confabd_signed_in_users"_s), 2.0);
        const auto sent = ana->request(req::send(room, u"t1"_s, u"hello"_s));
        QVERIFY(sent && sent->type == ServerFrameType::Result);
        QVERIFY(bob->waitEvent(room, qint64(sent->data().value("seq"_L1).toDouble())));
        auto *wrong = m_clients.connectClient();
        QVERIFY(wrong);
        QVERIFY(!wrong->login(u"ana"_s, u"not-her-password"_s));

        const QHash<QString, double> after = scrape();
        const auto delta
            = [&](const QString &name) { return after.value(name) - before.value(name); };
        QCOMPARE(delta(u"confabd_messages_accepted_total"_s), 1.0);
        // One connection each for ana and bob.
        QCOMPARE(delta(u"confabd_deliveries_total"_s), 2.0);
        QCOMPARE(delta(u"confabd_login_failures_total"_s), 1.0);
        QVERIFY(delta(u"confabd_commit_duration_seconds_count"_s) >= 1.0);
        QCOMPARE(after.value(u"confabd_commit_duration_seconds_count"_s),
            after.value(u"confabd_commit_duration_seconds_bucket{le=\"+Inf\"}"_s));
        QVERIFY(after.value(u"confabd_commit_duration_seconds_sum"_s) > 0);
        QCOMPARE(after.value(u"confabd_connections"_s), 3.0);
        QCOMPARE(after.value(u"confabd_signed_in_users"_s), 2.0);
    }

    void rateLimitRefusalsAreCountedByKind()
    {
        QVERIFY(startWith([](server::ServerConfig &c) {
            c.limits.rateBurst = 3;
            c.limits.ratePerSecond = 1;
        }));
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        const QHash<QString, double> before = scrape();
        const QString key = u"confabd_rate_limited_total{kind=\"requests\"}"_s;
        QVERIFY(before.contains(key));
        int refused = 0;
        for (int i = 0; i < 8; ++i) {
            const auto r = c->request(req::ping());
            if (r && r->type == ServerFrameType::Error
                && r->error == protocol::ErrorCode::RateLimited)
                ++refused;
        }
        QVERIFY(refused > 0);
        QCOMPARE(scrape().value(key) - before.value(key), double(refused));
    }

    void metricsOnlyForAllowedAddresses()
    {
        // From 127.0.0.1 with nothing but 10.0.0.0/8 allowed.
        QVERIFY(startWith([](server::ServerConfig &c) {
            QString error;
            QVERIFY(c.set(u"metrics_allow"_s, u"10.0.0.0/8, 192.0.2.7"_s, &error));
        }));
        QCOMPARE(get(port(), "/metrics").status, 403);
        QCOMPARE(get(port(), "/healthz").status, 200); // open to all
    }

    void forwardedMetricsRequestsNeedATrustedProxy()
    {
        // Loopback is allowed, but a request relayed by a proxy nobody declared comes from
        // someone unknown.
        QCOMPARE(get(port(), "/metrics", "X-Forwarded-For: 127.0.0.1\r\n").status, 403);
        QCOMPARE(get(port(), "/metrics", "Forwarded: for=127.0.0.1\r\n").status, 403);
        QCOMPARE(get(port(), "/metrics").status, 200);

        QVERIFY(startWith([](server::ServerConfig &c) {
            QString error;
            QVERIFY(c.set(u"trusted_proxies"_s, u"127.0.0.1"_s, &error));
        }));
        // Through a trusted proxy the forwarded client is the one judged.
        QCOMPARE(get(port(), "/metrics", "X-Forwarded-For: 203.0.113.9\r\n").status, 403);
        QCOMPARE(get(port(), "/metrics", "X-Forwarded-For: ::1\r\n").status, 200);
        // Only X-Forwarded-For is read: a trusted proxy that names its client another way
        // (or not at all) would otherwise be judged as itself, loopback, for anyone.
        QCOMPARE(get(port(), "/metrics", "Forwarded: for=203.0.113.9\r\n").status, 403);
        QCOMPARE(get(port(), "/metrics", "X-Real-IP: 203.0.113.9\r\n").status, 403);
        QCOMPARE(get(port(), "/metrics").status, 403);
        // Several lines are one list, read from the last line's right end.
        QCOMPARE(get(port(), "/metrics", "X-Forwarded-For: ::1\r\nX-Forwarded-For: 203.0.113.9\r\n")
                     .status,
            403);
        QCOMPARE(get(port(), "/metrics", "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: ::1\r\n")
                     .status,
            200);
    }

    void upgradesMayCarryUtf8HeaderValues()
    {
        // obs-text (RFC 9110 §5.5): browsers send UTF-8 in User-Agent and cookies.
        const QByteArray first = upgradeAndReadFirstFrame(
            "User-Agent: caf\xc3\xa9/1.0\r\nCookie: name=\xe2\x9c\x93\r\n");
        QVERIFY2(first.startsWith("HTTP/1.1 101"), first.constData());
        QCOMPARE(first.back(), '\x81'); // hello, a text frame
        // A control character is still refused.
        QCOMPARE(get(port(), "/healthz", "User-Agent: a\x01b\r\n").status, 400);
    }

    void severalForwardedForLinesAreOneList()
    {
        QVERIFY(startWith([](server::ServerConfig &c) {
            QString error;
            QVERIFY(c.set(u"trusted_proxies"_s, u"127.0.0.1"_s, &error));
            c.maxConnectionsPerAddress = 1;
        }));
        // The client is the right-most entry of the joined lines: 203.0.113.1 twice.
        QTcpSocket a;
        const QByteArray first = upgradeAndReadFirstFrame(
            "X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-For: 203.0.113.1\r\n", &a);
        QCOMPARE(first.back(), '\x81');
        QTcpSocket b;
        const QByteArray second = upgradeAndReadFirstFrame(
            "X-Forwarded-For: 198.51.100.2\r\nX-Forwarded-For: 203.0.113.1\r\n", &b);
        QCOMPARE(second.back(), '\x88'); // refused: a close frame
        QTcpSocket c;
        const QByteArray third = upgradeAndReadFirstFrame(
            "X-Forwarded-For: 203.0.113.1\r\nX-Forwarded-For: 198.51.100.3\r\n", &c);
        QCOMPARE(third.back(), '\x81');
    }

    void metricsAllowIsValidated()
    {
        server::ServerConfig c;
        QString error;
        QVERIFY(!c.set(u"metrics_allow"_s, u"127.0.0.1, not-an-address"_s, &error));
        QVERIFY(error.contains("not-an-address"_L1));
        QVERIFY(!c.set(u"metrics_allow"_s, u"10.0.0.0/99"_s, &error));
        // A rejected value leaves the list as it was: loopback.
        QVERIFY(c.mayReadMetrics(QHostAddress::LocalHost));
        QVERIFY(c.mayReadMetrics(QHostAddress(u"::ffff:127.0.0.1"_s)));
        QVERIFY(!c.mayReadMetrics(QHostAddress(u"192.0.2.1"_s)));
        // A reload (SIGHUP) reports a changed list like any other setting.
        QVERIFY(c.set(u"metrics_allow"_s, u"10.1.0.0/16, 192.0.2.7"_s, &error));
        const auto settings = c.settings();
        QVERIFY(settings.contains({u"metrics_allow"_s, u"10.1.0.0/16, 192.0.2.7"_s}));
        QVERIFY(c.set(u"metrics_allow"_s, u""_s, &error));
        QVERIFY(!c.mayReadMetrics(QHostAddress::LocalHost));
    }

    void errorsAreHttpAnswers()
    {
        const HttpReply missing = get(port(), "/nothing-here");
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.header("connection"), QByteArray("close"));
        QVERIFY(missing.closedByServer);

        const HttpReply post
            = exchange(port(), "POST /healthz HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.header("allow"), QByteArray("GET, HEAD"));

        QCOMPARE(exchange(port(), "NONSENSE\r\n\r\n").status, 400);
        QCOMPARE(exchange(port(), "GET /healthz HTTP/2.0\r\n\r\n").status, 400);
        QCOMPARE(exchange(port(), "GET /healthz HTTP/1.1\r\n folded: header\r\n\r\n").status, 400);
        // A TLS ClientHello on the plain port is refused at once, not at the timeout.
        QElapsedTimer t;
        t.start();
        QCOMPARE(exchange(port(), QByteArray::fromHex("160301020001000100")).status, 400);
        QVERIFY(t.elapsed() < 3000);

        QByteArray huge = "GET /healthz HTTP/1.1\r\nX-Padding: ";
        huge += QByteArray(20 * 1024, 'a');
        const HttpReply tooLarge = exchange(port(), huge);
        QCOMPARE(tooLarge.status, 400);
        QVERIFY(tooLarge.closedByServer);

        // The port still speaks WebSocket afterwards.
        auto *c = m_clients.registered(u"still"_s);
        QVERIFY(c);
        QVERIFY(c->isConnected());
    }

    void healthzIsUnavailableWhileTheDatabaseTakesNoWrites()
    {
        // Another process holding the write lock (a sqlite3 shell left in a transaction,
        // a second server): every write of confabd waits and then fails.
        QSqlDatabase holder = m_server->openDatabase(u"holder"_s);
        QVERIFY(holder.isOpen());
        {
            QVERIFY(takeTheWriteLock(holder));
        }
        const HttpReply locked = get(port(), "/healthz");
        QCOMPARE(locked.status, 503);
        QVERIFY2(locked.body.contains("database"), locked.body.constData());
        {
            QSqlQuery q(holder);
            QVERIFY(q.exec(u"ROLLBACK"_s));
        }
        holder.close();
        holder = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"holder"_s);
        QTRY_COMPARE_WITH_TIMEOUT(get(port(), "/healthz").status, 200, 20000);
    }

    void plainRequestsCountAgainstTheAddressLimit()
    {
        QVERIFY(startWith([](server::ServerConfig &c) { c.maxConnectionsPerAddress = 1; }));
        // The write lock keeps the first /healthz waiting, its socket open.
        QSqlDatabase holder = m_server->openDatabase(u"holder2"_s);
        QVERIFY(holder.isOpen());
        QVERIFY(takeTheWriteLock(holder));
        QTcpSocket waiting;
        waiting.connectToHost(QHostAddress::LocalHost, port());
        QVERIFY(waiting.waitForConnected(3000));
        waiting.write("GET /healthz HTTP/1.1\r\n\r\n");
        QTest::qWait(200); // served, not answered: the probe waits for the lock
        QCOMPARE(waiting.state(), QAbstractSocket::ConnectedState);

        const HttpReply second = get(port(), "/healthz");
        QCOMPARE(second.status, 503);
        QVERIFY(second.body.contains("too many connections"));
        // A WebSocket from the same address is refused too while it is held.
        auto *c = m_clients.connectClient();
        QVERIFY(!c || test::TestClient::waitUntil([c] { return !c->isConnected(); }, 5000));

        QVERIFY(QSqlQuery(holder).exec(u"ROLLBACK"_s));
        holder.close();
        holder = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"holder2"_s);
        QVERIFY(test::TestClient::waitUntil(
            [&] { return waiting.state() == QAbstractSocket::UnconnectedState; }, 10000));
        QTRY_COMPARE_WITH_TIMEOUT(get(port(), "/healthz").status, 200, 10000);
    }

    void plainRequestsCountAgainstMaxConnections()
    {
        QVERIFY(startWith([](server::ServerConfig &c) { c.maxConnections = 1; }));
        // The write lock keeps /healthz waiting, its socket open and counted.
        QSqlDatabase holder = m_server->openDatabase(u"holder3"_s);
        QVERIFY(holder.isOpen());
        QVERIFY(takeTheWriteLock(holder));
        QTcpSocket waiting;
        waiting.connectToHost(QHostAddress::LocalHost, port());
        QVERIFY(waiting.waitForConnected(3000));
        waiting.write("GET /healthz HTTP/1.1\r\n\r\n");
        QTest::qWait(200);
        QCOMPARE(waiting.state(), QAbstractSocket::ConnectedState);
        // A WebSocket is admitted by the same rule: the one slot is taken.
        QCOMPARE(upgradeAndReadFirstFrame({}).back(), '\x88');

        QVERIFY(QSqlQuery(holder).exec(u"ROLLBACK"_s));
        holder.close();
        holder = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"holder3"_s);
        QVERIFY(test::TestClient::waitUntil(
            [&] { return waiting.state() == QAbstractSocket::UnconnectedState; }, 10000));
        // Each try is one connection, looked at once: QTRY_COMPARE would make another to
        // report the value, while the server may still count the one that got hello (a
        // loop thread reports its end a moment later) and refuse it the single slot.
        QByteArray first;
        const bool admitted = test::TestClient::waitUntil(
            [&] {
                first = upgradeAndReadFirstFrame({});
                return !first.isEmpty() && first.back() == '\x81';
            },
            10000);
        QVERIFY2(admitted, first.toHex().constData());
    }

    void slowRequestHeadsMeetTheHandshakeTimeout()
    {
        QVERIFY(startWith([](server::ServerConfig &c) { c.handshakeTimeoutMs = 300; }));
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port());
        QVERIFY(s.waitForConnected(3000));
        s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"); // never finished
        QVERIFY(test::TestClient::waitUntil(
            [&] { return s.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QVERIFY(s.readAll().isEmpty());
    }
};

CONFAB_SERVER_TEST_MAIN(TestHttpProbe)
#include "tst_httpprobe.moc"
