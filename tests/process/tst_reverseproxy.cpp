// SPDX-License-Identifier: GPL-3.0-or-later
// The real nginx, with the committed packaging/proxy/nginx-confabd.conf, in front of the real
// confabd: TLS ends at nginx, the WebSocket passes through, and confabd sees the client's
// address from X-Forwarded-For only while nginx is a trusted proxy. HAProxy's file is
// checked by haproxy itself. Both programs are required (tools/install-deps installs them):
// a machine without them fails here rather than passing untested.
#include "confabdprocess.h"
#include "protocol/accountrequests.h"
#include "protocol/limits.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace confab;
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

/*! \brief The seconds of "DIRECTIVE 300s;" (or "DIRECTIVE 300s" without ';'); -1 if absent. */
int secondsOf(const QByteArray &config, const QString &directive)
{
    const QRegularExpression re(
        u"^\\s*%1\\s+(\\d+)s\\b"_s.arg(QRegularExpression::escape(directive)),
        QRegularExpression::MultilineOption);
    const auto match = re.match(QString::fromUtf8(config));
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}
} // namespace

class TestReverseProxy : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cert = m_dir.filePath(u"cert.pem"_s);
    QString m_key = m_dir.filePath(u"key.pem"_s);
    QProcess m_nginx;
    quint16 m_nginxPort = 0;

    /*! \brief nginx's arguments: everything under the temporary folder, in the foreground. */
    QStringList nginxArguments() const
    {
        return {u"-p"_s, m_dir.path(), u"-c"_s, m_dir.filePath(u"nginx.conf"_s), u"-e"_s,
            m_dir.filePath(u"error.log"_s), u"-g"_s,
            u"daemon off; pid %1;"_s.arg(m_dir.filePath(u"nginx.pid"_s))};
    }

    /*! \brief The committed site file, pointed at this test's ports and certificate. */
    void writeNginxConfig(quint16 confabdPort)
    {
        QByteArray site = readSource(u"packaging/proxy/nginx-confabd.conf"_s);
        QVERIFY(!site.isEmpty());
        const QList<std::pair<QByteArray, QByteArray>> replacements {
            {"listen 443 ssl;", "listen 127.0.0.1:" + QByteArray::number(m_nginxPort) + " ssl;"},
            {"listen [::]:443 ssl;", ""},
            {"/etc/letsencrypt/live/chat.example.org/fullchain.pem", m_cert.toUtf8()},
            {"/etc/letsencrypt/live/chat.example.org/privkey.pem", m_key.toUtf8()},
            {"server 127.0.0.1:8747;", "server 127.0.0.1:" + QByteArray::number(confabdPort) + ";"},
        };
        for (const auto &[from, to] : replacements) {
            // The test must run the file as committed, only re-addressed.
            QVERIFY2(site.contains(from), from.constData());
            site.replace(from, to);
        }
        QVERIFY(test::writeFile(m_dir.filePath(u"confab.conf"_s), site));
        const QByteArray tmp = m_dir.path().toUtf8();
        // What /etc/nginx/nginx.conf gives a site; temporary files stay in the test's folder.
        const QByteArray main = "worker_processes 1;\n"
                                "events { worker_connections 64; }\n"
                                "http {\n"
                                "    access_log "
            + tmp + "/access.log;\n    client_body_temp_path " + tmp
            + "/body;\n    proxy_temp_path " + tmp + "/proxy;\n    fastcgi_temp_path " + tmp
            + "/fastcgi;\n    uwsgi_temp_path " + tmp + "/uwsgi;\n    scgi_temp_path " + tmp
            + "/scgi;\n    include " + tmp + "/confab.conf;\n}\n";
        QVERIFY(test::writeFile(m_dir.filePath(u"nginx.conf"_s), main));
    }

    QByteArray nginxErrors() const
    {
        QFile log(m_dir.filePath(u"error.log"_s));
        return log.open(QIODevice::ReadOnly) ? log.readAll() : QByteArray();
    }

    void startNginx(const QString &nginx)
    {
        QProcess check;
        check.start(nginx, QStringList {u"-t"_s} + nginxArguments());
        QVERIFY(check.waitForFinished(15000));
        QVERIFY2(check.exitCode() == 0, check.readAllStandardError().constData());

        m_nginx.setProcessChannelMode(QProcess::MergedChannels);
        m_nginx.start(nginx, nginxArguments());
        QVERIFY(m_nginx.waitForStarted(5000));
        const bool up = test::TestClient::waitUntil(
            [this] {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_nginxPort);
                return probe.waitForConnected(200) || m_nginx.state() == QProcess::NotRunning;
            },
            10000);
        QVERIFY2(up && m_nginx.state() == QProcess::Running,
            QByteArray(m_nginx.readAll() + nginxErrors()).constData());
    }

    /*! \brief A client through nginx, claiming \a forwardedFor itself (as any client may). */
    bool openThroughNginx(test::TestClient &client, const QByteArray &forwardedFor)
    {
        client.socket().setSslConfiguration(test::pinnedTo(m_cert));
        QNetworkRequest request(QUrl(u"wss://127.0.0.1:%1"_s.arg(m_nginxPort)));
        request.setRawHeader("X-Forwarded-For", forwardedFor);
        return client.open(request);
    }

    static QString currentSessionAddress(test::TestClient &client)
    {
        const auto reply = client.request(req::sessions());
        if (!reply || reply->type != ServerFrameType::Result)
            return u"(no reply)"_s;
        const QJsonArray sessions = reply->data().value("sessions"_L1).toArray();
        for (const auto &s : sessions) {
            if (s.toObject().value("current"_L1).toBool())
                return s.toObject().value("address"_L1).toString();
        }
        return u"(no current session)"_s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(test::makeCertificate(m_cert, m_key, u"127.0.0.1"_s));
    }

    void cleanupTestCase()
    {
        if (m_nginx.state() != QProcess::NotRunning) {
            m_nginx.terminate();
            if (!m_nginx.waitForFinished(10000))
                m_nginx.kill();
        }
    }

    void nginxTimeoutsOutlastTheHeartbeat()
    {
        const QByteArray site = readSource(u"packaging/proxy/nginx-confabd.conf"_s);
        const protocol::Limits defaults;
        // confabd drops a peer silent for 2.5 heartbeat intervals; the proxy must not first.
        const int heartbeatSilence = defaults.heartbeatIntervalMs * 5 / 2 / 1000;
        QVERIFY(secondsOf(site, u"proxy_read_timeout"_s) > heartbeatSilence);
        QVERIFY(secondsOf(site, u"proxy_send_timeout"_s) > heartbeatSilence);
        QVERIFY(site.contains("proxy_http_version 1.1;"));
        QVERIFY(site.contains("proxy_set_header Upgrade $http_upgrade;"));
        QVERIFY(site.contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"));
    }

    void nginxForwardsTheClientAddressOnlyWhenTrusted()
    {
        const QString nginx = findProgram(u"nginx"_s);
        QVERIFY2(!nginx.isEmpty(), "nginx is not installed (tools/install-deps installs it)");
        m_nginxPort = test::freePort();
        QVERIFY(m_nginxPort != 0);

        const QString config = m_dir.filePath(u"confabd.ini"_s);
        const QByteArray common = "[server]\ndata_dir = " + m_dir.filePath(u"data"_s).toUtf8()
            + "\nmax_connections_per_address = 2\n";
        QVERIFY(test::writeFile(config, common + "trusted_proxies = 127.0.0.1\n"));
        test::ConfabdProcess server;
        QVERIFY(server.start({u"--config"_s, config}));
        writeNginxConfig(server.port());
        if (QTest::currentTestFailed())
            return;
        startNginx(nginx);
        if (QTest::currentTestFailed())
            return;

        // nginx appends 127.0.0.1 (its client) to what the client claimed. 127.0.0.1 is a
        // trusted proxy here, so the claim is believed: it stands for a proxy in front.
        test::TestClient ana;
        QVERIFY(openThroughNginx(ana, "203.0.113.7"));
        QVERIFY(ana.socket().sslConfiguration().peerCertificate()
            == QSslCertificate::fromPath(m_cert).value(0));
        const auto registered = ana.request(
            req::registerAccount(u"ana"_s, u"password-123"_s, {}, u"laptop"_s), 15000);
        QVERIFY(registered && registered->type == ServerFrameType::Result);
        const QString token = registered->data().value("token"_L1).toString();
        QVERIFY(server.waitForLog("sign-in by registration: user \"ana\" from 203.0.113.7 device "
                                  "\"laptop\": ok"));
        QCOMPARE(currentSessionAddress(ana), u"203.0.113.7"_s);

        // A message goes out and comes back through the proxy.
        const auto created = ana.request(req::createRoom(u"proxied"_s));
        QVERIFY(created && created->type == ServerFrameType::Result);
        const qint64 room
            = qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        const auto sent = ana.request(req::send(room, u"t1"_s, u"through nginx"_s));
        QVERIFY(sent && sent->type == ServerFrameType::Result);
        const auto event = ana.waitEvent(room, qint64(sent->data().value("seq"_L1).toDouble()));
        QVERIFY(event);
        QCOMPARE(event->text, u"through nginx"_s);

        // Token sign-ins are logged as password ones are, failures included.
        test::TestClient phone;
        QVERIFY(openThroughNginx(phone, "203.0.113.7"));
        QVERIFY(phone.authenticate(token));
        QVERIFY(server.waitForLog("sign-in by token: user \"ana\" from 203.0.113.7 device "
                                  "\"laptop\" session 1: ok"));
        // Per-address limits count the real client: a third from .7 is refused, .8 is not.
        test::TestClient third;
        QVERIFY(!openThroughNginx(third, "203.0.113.7"));
        test::TestClient bea;
        QVERIFY(openThroughNginx(bea, "203.0.113.8"));
        QVERIFY(!bea.authenticate(u"not-a-token"_s));
        QVERIFY(server.waitForLog("sign-in by token: user \"\" from 203.0.113.8 device \"\": "
                                  "invalid_token"));
        phone.disconnectNow();
        bea.disconnectNow();

        // Without trusted_proxies the header is ignored: everyone is nginx, 127.0.0.1.
        QVERIFY(test::writeFile(config, common));
        server.signal(SIGHUP);
        QVERIFY(server.waitForLog("configuration reloaded"));
        QVERIFY(server.log().contains("trusted_proxies changed from 127.0.0.1 to"));
        QVERIFY(ana.isConnected());
        test::TestClient later;
        QVERIFY(openThroughNginx(later, "203.0.113.9"));
        QVERIFY(later.authenticate(token));
        QVERIFY(server.waitForLog("sign-in by token: user \"ana\" from 127.0.0.1 device "
                                  "\"laptop\" session 1: ok"));
        // The sign-in records its address in a write nobody waits for.
        QString seen;
        QVERIFY2(test::TestClient::waitUntil(
                     [&] { return (seen = currentSessionAddress(later)) == "127.0.0.1"_L1; }, 5000),
            qPrintable(seen));
        QVERIFY(!server.log().contains("203.0.113.9"));
    }

    void haproxyConfigIsValid()
    {
        const QString haproxy = findProgram(u"haproxy"_s);
        QVERIFY2(!haproxy.isEmpty(), "haproxy is not installed (tools/install-deps installs it)");
        QByteArray config = readSource(u"packaging/proxy/haproxy-confabd.cfg"_s);
        const QByteArray crt = "/etc/haproxy/certs/chat.example.org.pem";
        QVERIFY(config.contains(crt));
        // HAProxy wants the chain and the key in one file.
        QFile cert(m_cert);
        QFile key(m_key);
        QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
        const QString pem = m_dir.filePath(u"haproxy.pem"_s);
        QVERIFY(test::writeFile(pem, cert.readAll() + key.readAll()));
        config.replace(crt, pem.toUtf8());
        const QString path = m_dir.filePath(u"haproxy.cfg"_s);
        QVERIFY(test::writeFile(path, config));

        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(haproxy, {u"-c"_s, u"-f"_s, path});
        QVERIFY(check.waitForFinished(15000));
        QVERIFY2(check.exitCode() == 0, check.readAll().constData());

        const protocol::Limits defaults;
        const int heartbeatSilence = defaults.heartbeatIntervalMs * 5 / 2 / 1000;
        QVERIFY(secondsOf(config, u"timeout tunnel"_s) > heartbeatSilence);
        QVERIFY(config.contains("http-request del-header X-Forwarded-For"));
        QVERIFY(config.contains("option forwardfor"));
    }
};

QTEST_GUILESS_MAIN(TestReverseProxy)
#include "tst_reverseproxy.moc"
