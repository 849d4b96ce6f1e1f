// SPDX-License-Identifier: GPL-3.0-or-later
// A deliberate key rotation, announced by the old key (protocol §19.7, docs/lan.md): the
// new certificate carries a chain the pinned key signed, and nothing else passes for one.
// Also that a rotation a crash interrupted is finished, never half-applied.
#include "identity/selfsignedcertificate.h"
#include "identity/serveridentity.h"
#include "lan/fingerprint.h"
#include "lan/keyrotation.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using lan::KeyRotations;
using server::ServerIdentity;

namespace {

std::optional<KeyRotations> rotationsOf(const ServerIdentity &identity)
{
    return KeyRotations::ofCertificate(identity.certificate().toDer());
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TstKeyRotation : public QObject
{
    Q_OBJECT

    QString m_error;

    std::optional<ServerIdentity> load(const QString &dir)
    {
        return ServerIdentity::loadOrCreate(dir, u"Test host"_s, &m_error);
    }
    std::optional<ServerIdentity> rotate(const QString &dir)
    {
        return ServerIdentity::rotate(dir, u"Test host"_s, &m_error);
    }

private Q_SLOTS:
    void aNewIdentityCarriesNoChain()
    {
        QTemporaryDir dir;
        const auto identity = load(dir.path());
        QVERIFY2(identity, qPrintable(m_error));
        QVERIFY(!rotationsOf(*identity));
    }

    void theOldKeyHandsOverToTheNew()
    {
        QTemporaryDir dir;
        const auto first = load(dir.path());
        QVERIFY(first);
        const auto second = rotate(dir.path());
        QVERIFY2(second, qPrintable(m_error));
        QCOMPARE(second->id(), first->id());
        QVERIFY(second->fingerprint() != first->fingerprint());
        // What the server loads next time is the new pair.
        QCOMPARE(load(dir.path())->fingerprint(), second->fingerprint());

        const auto rotations = rotationsOf(*second);
        QVERIFY(rotations);
        QCOMPARE(rotations->serverId, first->id());
        QCOMPARE(rotations->chain.size(), 1);
        QCOMPARE(lan::fingerprintOfPublicKey(rotations->chain[0].oldKey), first->fingerprint());
        QVERIFY(rotations->handsOver(first->id(), first->fingerprint(), second->fingerprint()));
        // For another id, from a key never pinned, to another key, or to itself: no.
        QVERIFY(!rotations->handsOver(u"00000000-0000-4000-8000-000000000000"_s,
            first->fingerprint(), second->fingerprint()));
        QVERIFY(!rotations->handsOver(first->id(), QString(64, u'a'), second->fingerprint()));
        QVERIFY(!rotations->handsOver(first->id(), first->fingerprint(), QString(64, u'b')));
        QVERIFY(!rotations->handsOver(first->id(), second->fingerprint(), second->fingerprint()));
        // The old key is gone: a rotation away from a key must not leave it behind.
        QVERIFY(!readFile(ServerIdentity::folder(dir.path()) + u"/key.pem"_s).isEmpty());
        QCOMPARE(QDir(ServerIdentity::folder(dir.path()))
                     .entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
            QStringList({u"certificate.pem"_s, u"key.pem"_s, u"server-id"_s}));
    }

    void aClientOfflineThroughSeveralRotationsFollowsThem()
    {
        QTemporaryDir dir;
        QStringList fingerprints {load(dir.path())->fingerprint()};
        for (int i = 0; i < KeyRotations::MaxChain + 1; ++i) {
            const auto next = rotate(dir.path());
            QVERIFY2(next, qPrintable(m_error));
            fingerprints.append(next->fingerprint());
        }
        const auto last = load(dir.path());
        const auto rotations = rotationsOf(*last);
        QVERIFY(rotations);
        QCOMPARE(rotations->chain.size(), KeyRotations::MaxChain);
        // Every key still in the chain hands over to the last; the oldest fell off.
        for (int i = 1; i < fingerprints.size() - 1; ++i)
            QVERIFY2(rotations->handsOver(last->id(), fingerprints[i], fingerprints.last()),
                qPrintable(QString::number(i)));
        QVERIFY(!rotations->handsOver(last->id(), fingerprints[0], fingerprints.last()));
    }

    void aTamperedStepBreaksTheChain_data()
    {
        QTest::addColumn<int>("step");
        QTest::addColumn<QString>("field");
        for (int step : {0, 1}) {
            for (const char *field : {"signature", "newFingerprint", "at", "oldKey"})
                QTest::addRow("step %d %s", step, field) << step << QString::fromLatin1(field);
        }
    }
    void aTamperedStepBreaksTheChain()
    {
        QFETCH(int, step);
        QFETCH(QString, field);
        QTemporaryDir dir;
        const QString pinned = load(dir.path())->fingerprint();
        QVERIFY(rotate(dir.path()));
        const auto last = rotate(dir.path());
        QVERIFY(last);
        KeyRotations rotations = *rotationsOf(*last);
        QVERIFY(rotations.handsOver(last->id(), pinned, last->fingerprint()));

        lan::KeyRotation &changed = rotations.chain[step];
        if (field == "signature"_L1)
            changed.signature[changed.signature.size() / 2] ^= 0x01;
        else if (field == "newFingerprint"_L1)
            changed.newFingerprint[0] = changed.newFingerprint[0] == u'0' ? u'1' : u'0';
        else if (field == "at"_L1)
            ++changed.atMs;
        else // another key, valid as a key, that did not sign this step
            changed.oldKey = rotations.chain[1 - step].oldKey;
        QVERIFY(!rotations.handsOver(last->id(), pinned, last->fingerprint()));
    }

    // The id is in what each step signs: a chain relabelled for another server fails its
    // signatures, not only the comparison of ids.
    void theServerIdIsSigned()
    {
        QTemporaryDir dir;
        const QString pinned = load(dir.path())->fingerprint();
        const auto last = rotate(dir.path());
        QVERIFY(last);
        KeyRotations relabelled = *rotationsOf(*last);
        const QString otherId = u"00000000-0000-4000-8000-000000000000"_s;
        relabelled.serverId = otherId;
        QVERIFY(!relabelled.handsOver(otherId, pinned, last->fingerprint()));
    }

    // A key from the middle of the chain is not the one the chain hands over to.
    void onlyTheLastKeyIsHandedOverTo()
    {
        QTemporaryDir dir;
        const QString pinned = load(dir.path())->fingerprint();
        const auto middle = rotate(dir.path());
        const auto last = rotate(dir.path());
        QVERIFY(middle && last);
        const KeyRotations rotations = *rotationsOf(*last);
        QVERIFY(rotations.handsOver(last->id(), pinned, last->fingerprint()));
        QVERIFY(!rotations.handsOver(last->id(), pinned, middle->fingerprint()));
    }

    void aCopiedChainDoesNotVouchForAnotherKey()
    {
        // What an impostor can do without the old key: put the real chain in a certificate
        // of its own. The chain ends at the real new key, not at the impostor's.
        QTemporaryDir dir;
        const QString pinned = load(dir.path())->fingerprint();
        const auto real = rotate(dir.path());
        QVERIFY(real);
        const QByteArray chain = rotationsOf(*real)->toJson();
        const auto forged = server::makeSelfSignedCertificate(u"Test host"_s, 30, &m_error,
            [&](const QByteArray &) -> std::optional<QByteArray> { return chain; });
        QVERIFY(forged);
        const QSslCertificate certificate(forged->certificatePem, QSsl::Pem);
        const auto carried = KeyRotations::ofCertificate(certificate.toDer());
        QVERIFY(carried);
        QCOMPARE(carried->toJson(), chain);
        QVERIFY(!carried->handsOver(real->id(), pinned, lan::fingerprintOf(certificate)));
    }

    void strictParsing_data()
    {
        QTest::addColumn<QByteArray>("json");
        const QByteArray id = "\"serverId\":\"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11\"";
        const QByteArray fp = QByteArray(64, 'a');
        const auto step = [&](const QByteArray &at, const QByteArray &key, const QByteArray &sig,
                              const QByteArray &newFp) -> QByteArray {
            return "{\"at\":" + at + ",\"newFingerprint\":\"" + newFp + "\",\"oldKey\":\"" + key
                + "\",\"signature\":\"" + sig + "\"}";
        };
        const QByteArray good = step("1", "AAAA", "AAAA", fp);
        QTest::newRow("valid") << "{" + id + ",\"rotations\":[" + good + "]}";
        QTest::newRow("no steps") << "{" + id + ",\"rotations\":[]}";
        QTest::newRow("extra key") << "{" + id + ",\"rotations\":[" + good + "],\"x\":1}";
        QTest::newRow("braced id")
            << "{\"serverId\":\"{6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11}\",\"rotations\":[" + good
                + "]}";
        QTest::newRow("upper-case id")
            << "{\"serverId\":\"6D3F0C52-6F8E-4B8A-9A43-7E1F0C2D9B11\",\"rotations\":[" + good
                + "]}";
        QTest::newRow("bad base64")
            << "{" + id + ",\"rotations\":[" + step("1", "A*AA", "AAAA", fp) + "]}";
        QTest::newRow("empty key")
            << "{" + id + ",\"rotations\":[" + step("1", "", "AAAA", fp) + "]}";
        QTest::newRow("fractional at")
            << "{" + id + ",\"rotations\":[" + step("1.5", "AAAA", "AAAA", fp) + "]}";
        QTest::newRow("negative at")
            << "{" + id + ",\"rotations\":[" + step("-1", "AAAA", "AAAA", fp) + "]}";
        QTest::newRow("string at")
            << "{" + id + ",\"rotations\":[" + step("\"1\"", "AAAA", "AAAA", fp) + "]}";
        QTest::newRow("short fingerprint")
            << "{" + id + ",\"rotations\":[" + step("1", "AAAA", "AAAA", fp.left(63)) + "]}";
        QTest::newRow("upper-case fingerprint") << "{" + id + ",\"rotations\":["
                + step("1", "AAAA", "AAAA", QByteArray(64, 'A')) + "]}";
        QByteArray many;
        for (int i = 0; i <= KeyRotations::MaxChain; ++i)
            many += QByteArray(i ? "," : "") + good;
        QTest::newRow("too long") << "{" + id + ",\"rotations\":[" + many + "]}";
        QTest::newRow("not JSON") << QByteArray("{" + id);
    }
    void strictParsing()
    {
        QFETCH(QByteArray, json);
        const auto parsed = KeyRotations::fromJson(json);
        QCOMPARE(bool(parsed), QByteArray(QTest::currentDataTag()) == "valid");
        if (parsed)
            QCOMPARE(KeyRotations::fromJson(parsed->toJson()), parsed);
    }

    void anInterruptedRotationIsFinished_data()
    {
        QTest::addColumn<bool>("keyMoved");
        QTest::newRow("before the first move") << false;
        QTest::newRow("between the moves") << true;
    }
    void anInterruptedRotationIsFinished()
    {
        QFETCH(bool, keyMoved);
        // A rotation done in one folder gives the pair; another folder is left as the crash
        // would leave it: the old pair, and the new one (whole, or its key already moved).
        QTemporaryDir done;
        QVERIFY(load(done.path()));
        const QString doneFolder = ServerIdentity::folder(done.path());
        QTemporaryDir crashed;
        const QString folder = ServerIdentity::folder(crashed.path());
        QVERIFY(QDir().mkpath(folder + u"/rotating"_s));
        for (const QString &name : {u"server-id"_s, u"key.pem"_s, u"certificate.pem"_s})
            QVERIFY(QFile::copy(doneFolder + u'/' + name, folder + u'/' + name));
        const auto rotated = rotate(done.path());
        QVERIFY(rotated);
        for (const QString &name : {u"key.pem"_s, u"certificate.pem"_s}) {
            const bool moved = keyMoved && name == u"key.pem"_s;
            QVERIFY(writeFile(folder + (moved ? u"/"_s : u"/rotating/"_s) + name,
                readFile(doneFolder + u'/' + name)));
        }
        // A half-written next rotation beside it is thrown away.
        QVERIFY(QDir().mkpath(folder + u"/rotating.tmp"_s));
        QVERIFY(writeFile(folder + u"/rotating.tmp/key.pem"_s, "half"));

        const auto loaded = load(crashed.path());
        QVERIFY2(loaded, qPrintable(m_error));
        QCOMPARE(loaded->fingerprint(), rotated->fingerprint());
        QVERIFY(!QFileInfo::exists(folder + u"/rotating"_s));
        QVERIFY(!QFileInfo::exists(folder + u"/rotating.tmp"_s));
    }

    void aHalfWrittenRotationLeavesTheOldKey()
    {
        QTemporaryDir dir;
        const auto before = load(dir.path());
        QVERIFY(before);
        const QString folder = ServerIdentity::folder(dir.path());
        QVERIFY(QDir().mkpath(folder + u"/rotating.tmp"_s));
        QVERIFY(writeFile(folder + u"/rotating.tmp/key.pem"_s, readFile(folder + u"/key.pem"_s)));
        const auto after = load(dir.path());
        QVERIFY(after);
        QCOMPARE(after->fingerprint(), before->fingerprint());
        QVERIFY(!QFileInfo::exists(folder + u"/rotating.tmp"_s));
    }

    void rotatingNeedsAnIdentity()
    {
        QTemporaryDir dir;
        QVERIFY(!rotate(dir.path()));
        QVERIFY(m_error.contains(u"no server identity"_s));
        QVERIFY(!QFileInfo::exists(ServerIdentity::folder(dir.path()) + u"/server-id"_s));
    }

    void certificatesWithoutAChain()
    {
        QVERIFY(!KeyRotations::ofCertificate({}));
        QVERIFY(!KeyRotations::ofCertificate("not a certificate"));
        const auto plain = server::makeSelfSignedCertificate(u"x"_s, 30, &m_error);
        QVERIFY(plain);
        QVERIFY(!KeyRotations::ofCertificate(QSslCertificate(plain->certificatePem).toDer()));
    }
};

QTEST_GUILESS_MAIN(TstKeyRotation)
#include "tst_keyrotation.moc"
