// SPDX-License-Identifier: GPL-3.0-or-later
// SIGHUP on the real confabd: the configuration file is read again and applied without
// dropping anyone; what needs a restart and a broken file change nothing.
#include "confabdprocess.h"
#include "testclient.h"

#include <QDir>
#include <QJsonArray>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestConfabdReload : public QObject
{
    Q_OBJECT

private:
    static QByteArray ini(const QString &dataDir, const QByteArray &extra)
    {
        return "[server]\ndata_dir = " + dataDir.toUtf8() + "\n" + extra;
    }

    /*! \brief Sends one message in \a room and waits for its acknowledgement. */
    static bool sendsMessage(test::TestClient &client, qint64 room, const QString &text)
    {
        static int txn = 0;
        const auto reply = client.request(req::send(room, u"t%1"_s.arg(++txn), text));
        return reply && reply->type == ServerFrameType::Result;
    }

    static qint64 createRoom(test::TestClient &client, const QString &name)
    {
        const auto created = client.request(req::createRoom(name));
        if (!created || created->type != ServerFrameType::Result)
            return 0;
        return qint64(created->data().value("room"_L1).toObject().value("id"_L1).toDouble());
    }

private Q_SLOTS:
    void reloadAppliesLimitsAndRegistrationAndKeepsConnections()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(u"confabd.ini"_s);
        const QString data = dir.filePath(u"data"_s);
        QVERIFY(test::writeFile(config, ini(data, "registration = open\nmax_text_bytes = 4000\n")));
        test::ConfabdProcess server;
        QVERIFY(server.start({u"--config"_s, config}));

        test::TestClient ana;
        QVERIFY(ana.open(server.url()));
        QVERIFY(ana.registerUser(u"ana"_s));
        const qint64 room = createRoom(ana, u"reload"_s);
        QVERIFY(room > 0);
        const QString longText(3000, u'x');
        QVERIFY(sendsMessage(ana, room, longText));

        // Registration closed, a smaller text limit, and a key that needs a restart.
        QVERIFY(test::writeFile(config,
            ini(dir.filePath(u"elsewhere"_s),
                "registration = closed\nmax_text_bytes = 2000\nbackup_keep = 3\n")));
        server.signal(SIGHUP);
        QVERIFY(server.waitForLog("configuration reloaded"));
        const QByteArray log = server.log();
        QVERIFY2(log.contains("registration changed from open to closed"), log.constData());
        QVERIFY2(log.contains("max_text_bytes changed from 4000 to 2000"), log.constData());
        const QByteArray restart = "data_dir changed to " + dir.filePath(u"elsewhere"_s).toUtf8()
            + " but needs a restart; keeping " + data.toUtf8();
        QVERIFY2(log.contains(restart), log.constData());
        // The backup schedule is the scheduler's copy from the start: a reload says so.
        QVERIFY2(log.contains("backup_keep changed to 3 but needs a restart; keeping 7"),
            log.constData());

        // The connection made before is still open and served, by the new limit.
        QVERIFY(ana.isConnected());
        QVERIFY(sendsMessage(ana, room, u"still here"_s));
        QVERIFY(!sendsMessage(ana, room, longText));
        QVERIFY(ana.isConnected());

        // A new connection is told the new mode and limit, and registering is refused.
        test::TestClient bea;
        QVERIFY(bea.open(server.url()));
        QCOMPARE(bea.hello().value("registration"_L1).toString(), u"closed"_s);
        QCOMPARE(bea.hello().value("limits"_L1).toObject().value("maxTextBytes"_L1).toInt(), 2000);
        const auto refused = bea.request(req::registerAccount(u"bea"_s, u"password-123"_s));
        QVERIFY(refused && refused->type == ServerFrameType::Error);
        QCOMPARE(refused->error, ErrorCode::RegistrationClosed);
        // The data folder stayed where it was.
        QVERIFY(!QDir(dir.filePath(u"elsewhere"_s)).exists());

        // A broken file changes nothing at all, not even its valid lines.
        QVERIFY(
            test::writeFile(config, ini(data, "registration = open\nmax_text_bytes = banana\n")));
        server.signal(SIGHUP);
        QVERIFY(server.waitForLog("reload failed, the running configuration stays"));
        QVERIFY(server.log().contains("max_text_bytes: expected an integer"));
        test::TestClient cai;
        QVERIFY(cai.open(server.url()));
        QCOMPARE(cai.hello().value("registration"_L1).toString(), u"closed"_s);
        QCOMPARE(cai.hello().value("limits"_L1).toObject().value("maxTextBytes"_L1).toInt(), 2000);
        QVERIFY(ana.isConnected());
        QVERIFY(sendsMessage(ana, room, u"and still here"_s));
    }

    void reloadRotatesTheTlsCertificate()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(u"cert.pem"_s);
        const QString key = dir.filePath(u"key.pem"_s);
        QVERIFY(test::makeCertificate(cert, key, u"confab-a"_s));
        const QString certA = dir.filePath(u"a.pem"_s);
        QVERIFY(QFile::copy(cert, certA));
        const QString config = dir.filePath(u"confabd.ini"_s);
        QVERIFY(test::writeFile(config,
            ini(dir.filePath(u"data"_s),
                "tls_certificate = " + cert.toUtf8() + "\ntls_key = " + key.toUtf8() + "\n")));
        test::ConfabdProcess server;
        QVERIFY(server.start({u"--config"_s, config}));
        QCOMPARE(server.url().scheme(), u"wss"_s);

        test::TestClient ana;
        ana.socket().setSslConfiguration(test::pinnedTo(certA));
        QVERIFY(ana.open(server.url()));
        QCOMPARE(ana.socket().sslConfiguration().peerCertificate().subjectInfo(
                     QSslCertificate::CommonName),
            QStringList {u"confab-a"_s});
        QVERIFY(ana.registerUser(u"ana"_s));
        const qint64 room = createRoom(ana, u"tls"_s);
        QVERIFY(room > 0);

        // Rotation as certbot does it: new files under the same names, then SIGHUP.
        const QString certB = dir.filePath(u"b.pem"_s);
        const QString keyB = dir.filePath(u"b.key"_s);
        QVERIFY(test::makeCertificate(certB, keyB, u"confab-b"_s));
        QVERIFY(QFile::remove(cert) && QFile::copy(certB, cert));
        QVERIFY(QFile::remove(key) && QFile::copy(keyB, key));
        server.signal(SIGHUP);
        QVERIFY(server.waitForLog("configuration reloaded"));
        QVERIFY2(
            server.log().contains("new TLS certificate for confab-b"), server.log().constData());

        test::TestClient bea;
        bea.socket().setSslConfiguration(test::pinnedTo(certB));
        QVERIFY(bea.open(server.url()));
        QCOMPARE(bea.socket().sslConfiguration().peerCertificate().subjectInfo(
                     QSslCertificate::CommonName),
            QStringList {u"confab-b"_s});
        // A client that trusts only the old certificate cannot connect any more.
        test::TestClient stale;
        stale.socket().setSslConfiguration(test::pinnedTo(certA));
        QVERIFY(!stale.open(server.url(), 3000));
        // The connection made with the old certificate goes on.
        QVERIFY(ana.isConnected());
        QVERIFY(sendsMessage(ana, room, u"after the rotation"_s));

        // A key that cannot be read fails the reload: the running certificate stays.
        QVERIFY(QFile::remove(key));
        server.signal(SIGHUP);
        QVERIFY(server.waitForLog("reload failed, the running configuration stays"));
        test::TestClient cai;
        cai.socket().setSslConfiguration(test::pinnedTo(certB));
        QVERIFY(cai.open(server.url()));
    }
};

QTEST_GUILESS_MAIN(TestConfabdReload)
#include "tst_confabd_reload.moc"
