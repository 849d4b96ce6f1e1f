// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lan/nearbyservers.h"

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <functional>

namespace confab::client {

/*!
 * \brief "Host a chat on this computer": the same confabd binary as a child process of the
 * app, on SQLite in the user's data folder, listening on the LAN with its self-signed
 * certificate and the beacon on (docs/lan.md).
 *
 * The first start makes the host's account, an admin, with the admin commands (add-user,
 * set-admin) before the server serves, so no one else can register first and take the
 * role. The server's fingerprint comes from `confabd identity`, read from the data folder
 * this app owns, so the host's own app needs no code to compare.
 *
 * The child ends with the app: stop() and the destructor end it gracefully (SIGTERM: it
 * answers what it accepted and says "going away"); on Linux the kernel also sends it
 * SIGTERM if the app dies.
 */
class HostedServer : public QObject
{
    Q_OBJECT
    // One per app: the child it runs ends with the QML engine that owns it.
    QML_NAMED_ELEMENT(Hosting)
    QML_SINGLETON
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool hasAccount READ hasAccount NOTIFY stateChanged)
    Q_PROPERTY(QUrl url READ url NOTIFY stateChanged)
    Q_PROPERTY(QStringList addresses READ addresses NOTIFY stateChanged)
    Q_PROPERTY(QString serverId READ serverId NOTIFY stateChanged)
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY stateChanged)
    Q_PROPERTY(QString shortCode READ shortCode NOTIFY stateChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY stateChanged)
    Q_PROPERTY(QString serverName READ serverName NOTIFY stateChanged)
    //! People signed in to it now, the host included, as its own beacon says (§19.3);
    //! 0 where this computer has no network the beacon reaches.
    Q_PROPERTY(int usersOnline READ usersOnline NOTIFY usersOnlineChanged)

public:
    enum State
    {
        Stopped,
        Starting,
        Running,
        Stopping,
        Failed
    };
    Q_ENUM(State)

    explicit HostedServer(QObject *parent = nullptr);
    ~HostedServer() override;

    /*! \brief The confabd to run; default: beside the app's binary, else on PATH. */
    void setProgram(const QString &path) { m_program = path; }
    /*! \brief Default: "hosted-server" in the app's data folder. */
    void setDataFolder(const QString &path) { m_dataFolder = path; }
    QString dataFolder() const { return m_dataFolder; }
    /*! \brief Default 8747, so that others' saved address keeps working across restarts;
     * if it is taken, a free one, which later starts then try first. 0: always a free one
     * (tests). */
    void setPreferredPort(quint16 port) { m_preferredPort = port; }

    State state() const { return m_state; }
    /*! \brief Whether the data folder already has a server with the host's account. */
    bool hasAccount() const;
    /*! \brief Where this app connects: the loopback address. */
    QUrl url() const { return m_url; }
    /*! \brief Where others connect: wss:// on each of this computer's LAN addresses. */
    QStringList addresses() const { return m_addresses; }
    QString serverId() const { return m_serverId; }
    QString fingerprint() const { return m_fingerprint; }
    QString shortCode() const { return m_shortCode; }
    QString errorText() const { return m_errorText; }
    QString serverName() const { return m_serverName; }
    int usersOnline() const { return m_usersOnline; }

    /*!
     * \brief Starts hosting as \a serverName. The first time (hasAccount() false) also makes
     * the account \a adminName with \a password, an admin; later both are ignored.
     */
    Q_INVOKABLE void start(
        const QString &serverName, const QString &adminName, const QString &password);
    /*! \brief Stops gracefully; everyone connected loses the chat. The app will not host
     * again by itself until start(). */
    Q_INVOKABLE void stop();
    /*!
     * \brief Hosts again if the app was hosting when it last quit (and was not stopped),
     * under the same name: the host's saved session reconnects to it by itself.
     */
    Q_INVOKABLE void resume();
    /*!
     * \brief An invite link (protocol §19.4) to \a address, one of addresses(), with this
     * server's fingerprint, id and name, and \a inviteCode if not empty; empty if not
     * running or \a address is not one of its own.
     */
    Q_INVOKABLE QString inviteLink(const QString &address, const QString &inviteCode) const;
    /*! \brief The name start() was last given; the host name before that. */
    Q_INVOKABLE QString lastServerName() const;

Q_SIGNALS:
    void stateChanged();
    void usersOnlineChanged();

private:
    using Step = std::function<void()>;
    QString program() const;
    QStringList dataArguments() const;
    /*! \brief Runs `confabd ARGS` with \a input on stdin; \a next runs on success. */
    void runCommand(const QStringList &args, const QByteArray &input,
        const std::function<void(const QByteArray &out)> &next);
    void readIdentity(const QByteArray &out);
    void serve(quint16 port);
    quint16 portToTry() const;
    void onServeOutput();
    void onServeFinished(int exitCode, QProcess::ExitStatus status);
    void fail(const QString &why);
    void setState(State state);
    void countUsersOnline();

    QString m_program;
    QString m_dataFolder;
    quint16 m_preferredPort = 8747;
    quint16 m_triedPort = 0; //!< what the last serve() asked for: 0 is not retried
    QString m_serverName;
    State m_state = Stopped;
    QProcess *m_command = nullptr; //!< an admin command (identity, add-user, set-admin)
    QProcess *m_server = nullptr; //!< confabd serve
    QByteArray m_serverOutput;
    QUrl m_url;
    QStringList m_addresses;
    QString m_serverId;
    QString m_fingerprint;
    QString m_shortCode;
    QString m_errorText;
    NearbyServers m_beacons; //!< hears this server's own announcements, while it runs
    int m_usersOnline = 0;
};

} // namespace confab::client
