// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class ConnectionState;
class Drafts;
class MemberListModel;
class MessageSender;
class ReadMarkers;
class RoomActions;
class RoomListModel;
class RoomState;
class TimelineModel;
class TypingState;

/*!
 * \brief Which room is open, and what the window shows of it: its timeline, name and
 * topic, who is typing, the draft; opening it where the unread messages start.
 *
 * The room on screen is its own object, apart from the connection and the account: the
 * parts that care about it (read markers, typing, room actions, the member list) are
 * told by select(), in the order written there.
 */
class CurrentRoom : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(qint64 roomId READ roomId NOTIFY roomChanged)
    Q_PROPERTY(confab::client::TimelineModel *timeline READ timeline NOTIFY roomChanged)
    Q_PROPERTY(QString name READ name NOTIFY infoChanged)
    Q_PROPERTY(QString topic READ topic NOTIFY infoChanged)
    Q_PROPERTY(bool direct READ direct NOTIFY infoChanged)
    //! A group conversation (§18.4): direct too, but people can be added and it can be left.
    Q_PROPERTY(bool group READ group NOTIFY infoChanged)
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingTextChanged)
    //! What the user had written in this room and not sent (kept per room).
    Q_PROPERTY(QString draft READ draft NOTIFY roomChanged)
    Q_PROPERTY(bool loadingOlder READ loadingOlder NOTIFY loadingOlderChanged)

public:
    CurrentRoom(RoomListModel *rooms, RoomState *state, ConnectionState *connectionState,
        ReadMarkers *reads, RoomActions *actions, MemberListModel *members, TypingState *typing,
        Drafts *drafts, MessageSender *sender, QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static CurrentRoom *create(QQmlEngine *, QJSEngine *);

    /*! \brief Opens \a roomId (0: none) at its first unread message. */
    Q_INVOKABLE void select(qint64 roomId);
    /*! \brief The view shows this room up to \a seq: moves the read position forward
     * (never back), throttled. */
    Q_INVOKABLE void markRead(qint64 seq);
    /*! \brief The composer's text changed: keeps it as this room's draft and sends typing
     * notices, throttled. The room's own draft put back in the composer is no change. */
    Q_INVOKABLE void composerTextChanged(const QString &text);
    /*! \brief Sends \a text here (see MessageSender), answering the message \a replyTo
     * if not 0; the typing notice ends with it. */
    Q_INVOKABLE void sendMessage(const QString &text, qint64 replyTo = 0);
    /*! \brief Pages this room's history before its oldest held event. */
    Q_INVOKABLE void loadOlder();

    qint64 roomId() const { return m_roomId; }
    TimelineModel *timeline() const;
    QString name() const;
    QString topic() const;
    bool direct() const;
    bool group() const;
    QString typingText() const;
    QString draft() const;
    bool loadingOlder() const;

    /*! \brief The resume filled every gap: the room opened from the cache lands again on
     * what it brought, if anything (see landingRequested). */
    void landAfterResume();
    /*! \brief After a resume: fewer rows than a screenful page in older history. */
    void fillAfterResume();

Q_SIGNALS:
    void roomChanged();
    void infoChanged();
    void typingTextChanged();
    void loadingOlderChanged();
    /*! \brief The resume brought unread messages into the open room: the view places
     * itself on the first unread one again, unless the user has scrolled since it was
     * placed. */
    void landingRequested();

private:
    void continueLanding();

    RoomListModel *m_rooms;
    RoomState *m_state;
    ConnectionState *m_connectionState;
    ReadMarkers *m_reads;
    RoomActions *m_actions;
    MemberListModel *m_members;
    TypingState *m_typing;
    Drafts *m_drafts;
    MessageSender *m_sender;
    TimelineModel *m_noRoom; //!< what timeline() shows with no room selected
    qint64 m_roomId = 0;
    qint64 m_takenAway = 0; //!< the open room, about to go by a kick or ban
    int m_landingRows = -1; //!< rows held when landing last asked for an older page
};

} // namespace confab::client
