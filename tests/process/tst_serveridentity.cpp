// SPDX-License-Identifier: GPL-3.0-or-later
// The real confabd's identity (docs/lan.md, protocol §19): an id and a key made once, kept
// private, stable across restarts, never silently replaced, and served as its wss://
// certificate with tls_self_signed; hello names them.
#include "confabdprocess.h"
#include "lan/fingerprint.h"
#include "lan/invitelink.h"
#include "testclient.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;

namespace {

struct IdentityOutput
{
    int exitCode = -1;
    QMap<QString, QString> fields; // "id", "name", "fingerprint", "code"
    QByteArray err;
};

IdentityOutput runIdentity(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(CONFABD_PATH), QStringList {u"identity"_s} + args);
    IdentityOutput out;
    if (!p.waitForFinished(15000))
        return out;
    out.exitCode = p.exitCode();
    out.err = p.readAllStandardError();
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        const qsizetype space = line.indexOf(' ');
        if (space > 0)
            out.fields.insert(
                QString::fromUtf8(line.left(space)), QString::fromUtf8(line.mid(space)).trimmed());
    }
    return out;
}

int runServeExpectingFailure(const QStringList &args, QByteArray *err)
{
    QProcess p;
    p.start(QStringLiteral(CONFABD_PATH), QStringList {u"--port"_s, u"0"_s} + args);
    if (!p.waitForFinished(15000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    *err = p.readAllStandardError();
    return p.exitCode();
}

// The fingerprint as the openssl tool computes it from the certificate file: SHA-256 of the
// DER SubjectPublicKeyInfo. A third-party client computes it this way from the docs.
QString opensslFingerprint(const QString &certificatePath)
{
    QProcess p;
    p.start(u"sh"_s,
        {u"-c"_s,
            u"openssl x509 -in '%1' -pubkey -noout | openssl pkey -pubin -outform der "
            "| sha256sum"_s.arg(certificatePath)});
    if (!p.waitForFinished(15000) || p.exitCode() != 0)
        return {};
    return QString::fromLatin1(p.readAllStandardOutput().left(64));
}

QFile::Permissions permissionsOf(const QString &path)
{
    return QFile::permissions(path)
        & (QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
            | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther
            | QFile::ExeOther);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/*!
 * \brief Opens \a url, accepting the server's self-signed certificate only if its key has
 * \a fingerprint: the check a pinning client makes. Fills \a seen with the fingerprint the
 * handshake presented.
 */
bool openPinned(
    test::TestClient &client, const QUrl &url, const QString &fingerprint, QString *seen)
{
    QObject::connect(&client.socket(), &QWebSocket::sslErrors, &client,
        [&client, fingerprint, seen](const QList<QSslError> &errors) {
            const QSslCertificate presented = errors.isEmpty()
                ? client.socket().sslConfiguration().peerCertificate()
                : errors.first().certificate();
            *seen = lan::fingerprintOf(presented);
            if (*seen == fingerprint)
                client.socket().ignoreSslErrors();
        });
    return client.open(url, 10000);
}

} // namespace

class TestServerIdentity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstStartMakesAPrivateIdentityThatHelloAndTheHandshakeShow()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(u"data"_s);
        test::ConfabdProcess server;
        QVERIFY(server.start({u"--data"_s, data, u"--set"_s, u"tls_self_signed=true"_s, u"--set"_s,
            u"server_name=Workshop"_s}));
        QCOMPARE(server.url().scheme(), u"wss"_s);

        const QString folder = QDir(data).filePath(u"identity"_s);
        const QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
        QCOMPARE(permissionsOf(folder), ownerOnly | QFile::ExeOwner);
        for (const char *name : {"server-id", "key.pem", "certificate.pem"})
            QCOMPARE(permissionsOf(QDir(folder).filePath(QLatin1StringView(name))), ownerOnly);

        const IdentityOutput identity
            = runIdentity({u"--data"_s, data, u"--set"_s, u"tls_self_signed=true"_s});
        QCOMPARE(identity.exitCode, 0);
        const QString id = identity.fields.value(u"id"_s);
        QVERIFY2(!QUuid::fromString(id).isNull(), qPrintable(id));
        const QString fingerprint = identity.fields.value(u"fingerprint"_s);
        QVERIFY(lan::isFingerprint(fingerprint));
        QCOMPARE(identity.fields.value(u"code"_s), lan::shortCode(fingerprint));
        QCOMPARE(opensslFingerprint(QDir(folder).filePath(u"certificate.pem"_s)), fingerprint);

        test::TestClient client;
        QString seen;
        QVERIFY(openPinned(client, server.url(), fingerprint, &seen));
        QCOMPARE(seen, fingerprint);
        QCOMPARE(client.hello().value("serverId"_L1).toString(), id);
        QCOMPARE(client.hello().value("name"_L1).toString(), u"Workshop"_s);
        QCOMPARE(client.hello().value("fingerprint"_L1).toString(), fingerprint);
        QVERIFY(client.registerUser(u"ana"_s));
    }

    void theIdentityStaysAcrossRestartsAndIsNamedOnPlainPortsToo()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(u"data"_s);
        QString id;
        QString fingerprint;
        {
            test::ConfabdProcess server;
            QVERIFY(server.start({u"--data"_s, data, u"--set"_s, u"tls_self_signed=true"_s}));
            const IdentityOutput identity = runIdentity({u"--data"_s, data});
            id = identity.fields.value(u"id"_s);
            fingerprint = identity.fields.value(u"fingerprint"_s);
        }
        const QByteArray key = readFile(QDir(data).filePath(u"identity/key.pem"_s));
        QVERIFY(key.contains("PRIVATE KEY"));
        test::ConfabdProcess again;
        QVERIFY(again.start({u"--data"_s, data, u"--set"_s, u"tls_self_signed=true"_s}));
        test::TestClient client;
        QString seen;
        QVERIFY(openPinned(client, again.url(), fingerprint, &seen));
        QCOMPARE(client.hello().value("serverId"_L1).toString(), id);
        QCOMPARE(readFile(QDir(data).filePath(u"identity/key.pem"_s)), key);
        again.stop();

        // Plain ws://: the same id and a name (the host's, by default), but no fingerprint,
        // since nothing in that handshake could be checked against it.
        test::ConfabdProcess plain;
        QVERIFY(plain.start({u"--data"_s, data}));
        test::TestClient plainClient;
        QVERIFY(plainClient.open(plain.url()));
        QCOMPARE(plainClient.hello().value("serverId"_L1).toString(), id);
        QVERIFY(!plainClient.hello().value("name"_L1).toString().isEmpty());
        QVERIFY(!plainClient.hello().contains("fingerprint"_L1));
    }

    void aDamagedOrHalfMissingIdentityStopsTheServerAndIsNeverReplaced()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(u"data"_s);
        const IdentityOutput made = runIdentity({u"--data"_s, data});
        QCOMPARE(made.exitCode, 0);
        const QString keyPath = QDir(data).filePath(u"identity/key.pem"_s);
        const QString certificatePath = QDir(data).filePath(u"identity/certificate.pem"_s);
        const QByteArray certificate = readFile(certificatePath);

        QVERIFY(test::writeFile(keyPath, "-----BEGIN PRIVATE KEY-----\nbroken\n"));
        QByteArray err;
        QCOMPARE(runServeExpectingFailure({u"--data"_s, data}, &err), 5);
        QVERIFY2(err.contains("damaged"), err.constData());
        QCOMPARE(readFile(keyPath), QByteArray("-----BEGIN PRIVATE KEY-----\nbroken\n"));
        QCOMPARE(readFile(certificatePath), certificate);

        // A key from elsewhere beside the certificate: both valid PEM, not a pair.
        const QString otherKey = dir.filePath(u"other-key.pem"_s);
        QVERIFY(test::makeCertificate(dir.filePath(u"other.pem"_s), otherKey, u"other"_s));
        QVERIFY(test::writeFile(keyPath, readFile(otherKey)));
        QCOMPARE(runServeExpectingFailure({u"--data"_s, data}, &err), 5);
        QVERIFY2(err.contains("do not belong together"), err.constData());

        QVERIFY(QFile::remove(keyPath));
        QCOMPARE(runServeExpectingFailure({u"--data"_s, data}, &err), 5);
        QVERIFY2(err.contains("only one of key.pem and certificate.pem"), err.constData());
        QVERIFY(!QFile::exists(keyPath));
        QCOMPARE(readFile(certificatePath), certificate);

        // Both gone, the id still there: no new key under the old id.
        QVERIFY(QFile::remove(certificatePath));
        QCOMPARE(runServeExpectingFailure({u"--data"_s, data}, &err), 5);
        QVERIFY2(err.contains("has the server id but not its key.pem"), err.constData());
        QVERIFY(!QFile::exists(keyPath) && !QFile::exists(certificatePath));
    }

    void selfSignedAndACertificateFileExcludeEachOther()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(u"c.pem"_s);
        const QString key = dir.filePath(u"k.pem"_s);
        QVERIFY(test::makeCertificate(cert, key, u"127.0.0.1"_s));
        QByteArray err;
        QCOMPARE(runServeExpectingFailure(
                     {u"--data"_s, dir.filePath(u"data"_s), u"--tls-cert"_s, cert, u"--tls-key"_s,
                         key, u"--set"_s, u"tls_self_signed=true"_s},
                     &err),
            2);
        QVERIFY2(err.contains("exclude each other"), err.constData());
        // A name goes into other people's lists and beacons: one plain line.
        QCOMPARE(
            runServeExpectingFailure(
                {u"--data"_s, dir.filePath(u"data"_s), u"--set"_s, u"server_name=a\tb"_s}, &err),
            2);
        QVERIFY2(err.contains("control characters"), err.constData());

        // With a certificate file, hello's fingerprint is that certificate's, and
        // `confabd identity` says so: it is what clients pin.
        test::ConfabdProcess server;
        QVERIFY(server.start(
            {u"--data"_s, dir.filePath(u"data"_s), u"--tls-cert"_s, cert, u"--tls-key"_s, key}));
        const IdentityOutput identity = runIdentity(
            {u"--data"_s, dir.filePath(u"data"_s), u"--tls-cert"_s, cert, u"--tls-key"_s, key});
        QCOMPARE(identity.fields.value(u"fingerprint"_s), opensslFingerprint(cert));
        test::TestClient client;
        QString seen;
        QVERIFY(openPinned(client, server.url(), opensslFingerprint(cert), &seen));
        QCOMPARE(client.hello().value("fingerprint"_L1).toString(), opensslFingerprint(cert));
    }

    // `confabd identity` with tls_self_signed prints an invite link per address people
    // reach the server at (protocol §19.4): the way to join with no code, and the way
    // back for apps that knew an earlier identity. None for loopback or plain ws://.
    void identityPrintsInviteLinksForASelfSignedServer()
    {
        QTemporaryDir dir;
        const QStringList common {u"--data"_s, dir.path(), u"--port"_s, u"9123"_s};
        const auto lan = runIdentity(common
            + QStringList {u"--set"_s, u"tls_self_signed=true"_s, u"--listen"_s, u"192.0.2.7"_s});
        QCOMPARE(lan.exitCode, 0);
        const auto link = lan::InviteLink::parse(lan.fields.value(u"link"_s));
        QVERIFY2(link, qPrintable(lan.fields.value(u"link"_s)));
        QCOMPARE(link->host, u"192.0.2.7"_s);
        QCOMPARE(link->port, quint16(9123));
        QCOMPARE(link->fingerprint, lan.fields.value(u"fingerprint"_s));
        QCOMPARE(link->serverId, lan.fields.value(u"id"_s));
        QCOMPARE(link->invite, QString());

        const auto loopback
            = runIdentity(common + QStringList {u"--set"_s, u"tls_self_signed=true"_s});
        QCOMPARE(loopback.exitCode, 0);
        QVERIFY(!loopback.fields.contains(u"link"_s));
        const auto plain = runIdentity(common + QStringList {u"--listen"_s, u"192.0.2.7"_s});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY(plain.fields.contains(u"fingerprint"_s));
        QVERIFY(!plain.fields.contains(u"link"_s));
    }

    void shortCodesAreFiveGroupsOfTheFingerprintsFirstBytes()
    {
        // 0x0000 -> 0000, 0x2710 (10000) -> 0000, 0xffff (65535) -> 5535, 0x04d2 -> 1234.
        const QString fingerprint = u"00002710ffff04d2270f"_s + QString(44, u'a');
        QCOMPARE(lan::shortCode(fingerprint), u"0000 0000 5535 1234 9999"_s);
        QVERIFY(lan::shortCode(fingerprint.toUpper()).isEmpty());
        QVERIFY(lan::shortCode(fingerprint.left(63)).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestServerIdentity)
#include "tst_serveridentity.moc"
