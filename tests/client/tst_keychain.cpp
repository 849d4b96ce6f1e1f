// SPDX-License-Identifier: GPL-3.0-or-later
// Tokens in a real secret service (gnome-keyring on a private D-Bus session; see the
// ctest entry): TokenStore round trip, then "stay signed in" → restore() signs in with
// the stored token → signOut() deletes it and the server refuses it.
#include "keychain/tokenstore.h"
#include "sessionfixture.h"
#include "testserver.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace confab;
using client::Session;
using client::TokenStore;
using test::App;

namespace {

struct Outcome
{
    bool done = false;
    TokenStore::Result result = TokenStore::Result::Unavailable;
    QString token;
};

Outcome run(const std::function<void(TokenStore::Callback)> &start)
{
    Outcome o;
    start([&o](TokenStore::Result r, const QString &t) {
        o.done = true;
        o.result = r;
        o.token = t;
    });
    test::TestClient::waitUntil([&] { return o.done; }, 20000);
    return o;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

    QString m_service = u"ConfabTest-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);

private Q_SLOTS:
    void initTestCase()
    {
        TokenStore probe(m_service);
        const Outcome o = run([&](auto cb) { probe.read(u"probe"_s, cb); });
        if (!o.done || o.result == TokenStore::Result::Unavailable)
            QSKIP("no secret service reachable (run through ctest, which starts one)");
    }

    void tokenStoreRoundTrip()
    {
        TokenStore store(m_service);
        const QString key = TokenStore::keyFor(u"ws://127.0.0.1:1"_s, u"Ana"_s);
        QCOMPARE(key, u"ws://127.0.0.1:1|ana"_s);
        QCOMPARE(run([&](auto cb) { store.read(key, cb); }).result, TokenStore::Result::NotFound);
        QCOMPARE(run([&](auto cb) { store.write(key, u"secret-1"_s, cb); }).result,
            TokenStore::Result::Ok);
        Outcome read = run([&](auto cb) { store.read(key, cb); });
        QCOMPARE(read.result, TokenStore::Result::Ok);
        QCOMPARE(read.token, u"secret-1"_s);
        // Overwrite, then another store instance (another app start) sees the new value.
        QCOMPARE(run([&](auto cb) { store.write(key, u"secret-2"_s, cb); }).result,
            TokenStore::Result::Ok);
        TokenStore other(m_service);
        read = run([&](auto cb) { other.read(key, cb); });
        QCOMPARE(read.token, u"secret-2"_s);
        QCOMPARE(run([&](auto cb) { store.remove(key, cb); }).result, TokenStore::Result::Ok);
        QCOMPARE(run([&](auto cb) { other.read(key, cb); }).result, TokenStore::Result::NotFound);
    }

    void staySignedInRestoreAndSignOut()
    {
        test::TestServer server;
        QVERIFY(server.start());
        const QString url = server.url().toString();
        client::SessionOptions options;
        options.keychainService = m_service;
        auto first = std::make_unique<App>(options);
        const QString dataDir = first->path;
        auto keepDir = std::move(first->m_dir);
        (*first)->account()->createAccount(url, u"ana"_s, test::Password, {}, true);
        QTRY_COMPARE_WITH_TIMEOUT(
            (*first)->connectionState(), client::ConnectionState::Live, 15000);
        QVERIFY((*first)->account()->keychainWarning().isEmpty());
        (*first)->roomActions()->createRoom(u"general"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT((*first)->currentRoom()->roomId() != 0, 10000);

        TokenStore store(m_service);
        const QString key = TokenStore::keyFor(url, u"ana"_s);
        Outcome stored;
        QTRY_VERIFY_WITH_TIMEOUT(
            (stored = run([&](auto cb) { store.read(key, cb); })).result == TokenStore::Result::Ok,
            10000);
        const QString token = stored.token;
        QVERIFY(token.size() >= 20);
        first.reset(); // quit

        // Next start: silent sign-in with the stored token, rooms from the cache first.
        App second(options, dataDir);
        QVERIFY(second->account()->restore());
        QTRY_COMPARE_WITH_TIMEOUT(second->account()->status(), client::Account::SignedIn, 10000);
        QCOMPARE(second->rooms()->rowCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(second->connectionState(), client::ConnectionState::Live, 15000);
        QCOMPARE(second->account()->username(), u"ana"_s);

        second->account()->signOut();
        QCOMPARE(second->account()->status(), client::Account::SignedOut);
        QCOMPARE(second->rooms()->rowCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            run([&](auto cb) { store.read(key, cb); }).result, TokenStore::Result::NotFound, 10000);
        // Revoked on the server too.
        test::TestClient raw;
        QVERIFY(raw.open(server.url()));
        QTRY_VERIFY_WITH_TIMEOUT(!raw.authenticate(token), 10000);
        // And the next start has nothing to restore.
        App third(options, dataDir);
        QVERIFY(third->account()->restore()); // a keychain read is needed to know
        QTRY_COMPARE_WITH_TIMEOUT(third->account()->status(), client::Account::SignedOut, 10000);
        QVERIFY(third->account()->errorText().isEmpty());
    }
};

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
