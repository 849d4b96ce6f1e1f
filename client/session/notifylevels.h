// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <functional>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class Connection;

/*!
 * \brief Notification levels per room and do-not-disturb (docs/protocol.md §18.3).
 *
 * The levels themselves live in the room summaries (RoomListModel's `notify` role);
 * setLevel() asks the server, whose `room` push brings the new summary to every device.
 * Do-not-disturb is one end time for the account, from the sign-in result and `dnd`
 * pushes; \c dndOn turns false by itself when the end time passes. Offered only when the
 * server's hello has the feature `notify` (\c available).
 */
class NotifyLevels : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    Q_PROPERTY(bool dndOn READ dndOn NOTIFY dndChanged)
    //! When do-not-disturb ends; invalid while it is off.
    Q_PROPERTY(QDateTime dndUntil READ dndUntil NOTIFY dndChanged)
    //! The end time as the indicator says it: the time alone today, with the day otherwise.
    Q_PROPERTY(QString dndUntilText READ dndUntilText NOTIFY dndChanged)

public:
    explicit NotifyLevels(Connection *connection, QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static NotifyLevels *create(QQmlEngine *, QJSEngine *);

    bool available() const { return m_available; }
    bool dndOn() const { return m_dndUntil > 0; }
    QDateTime dndUntil() const;
    QString dndUntilText() const;
    /*! \brief The end time in ms since the epoch; 0 while off. */
    qint64 dndUntilMs() const { return m_dndUntil; }

    /*! \brief The sign-in result's or a `dnd` push's end time (0: off). */
    void applyDnd(qint64 until);
    /*! \brief Signed out: do-not-disturb belongs to the account, it ends here. */
    void reset();

    /*! \brief \a level: "all", "mentions" or "none". */
    Q_INVOKABLE void setLevel(qint64 room, const QString &level);
    Q_INVOKABLE void dndForOneHour();
    /*! \brief Until the next 08:00, local time (see nextMorning()). */
    Q_INVOKABLE void dndUntilMorning();
    /*! \brief The menu entry for dndUntilMorning(), as of now. */
    Q_INVOKABLE QString dndMorningLabel() const;
    Q_INVOKABLE void dndOff();
    /*! \brief Do-not-disturb until \a until (ms since the epoch; 0: off). */
    Q_INVOKABLE void setDnd(qint64 until);

    /*! \brief The next 08:00 after \a now, local time: today's until 07:59, else tomorrow's.
     * Someone silencing the app at 00:30 means the coming morning, not the one after. */
    static QDateTime nextMorning(const QDateTime &now);
    /*! \brief "Do not disturb until 08:00" or "… until tomorrow 08:00", as of \a now. */
    static QString morningLabel(const QDateTime &now);
    /*! \brief \a until as of \a now: "14:30" today, "tomorrow 08:00", else with its date. */
    static QString untilText(const QDateTime &until, const QDateTime &now);

    /*! \brief For tests: what "now" is for the morning and the texts (default: the clock). */
    void setClock(std::function<QDateTime()> clock);

Q_SIGNALS:
    void availableChanged();
    void dndChanged();
    void actionFailed(const QString &message);

private:
    void updateAvailable();
    /*! \brief Arms the end (or the next midnight, when the text changes); false once off. */
    bool armTimer();
    QDateTime now() const;
    void send(const protocol::OutgoingRequest &request);

    Connection *m_connection;
    std::function<QDateTime()> m_clock;
    QTimer m_dndEnd;
    qint64 m_dndUntil = 0;
    bool m_available = false;
    quint64 m_generation = 0;
};

} // namespace confab::client
