// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class ServerTrust;

/*!
 * \brief Invite links (protocol §19.4) pasted into the sign-in page or passed on the
 * command line: the server's address and invite code for the form, and its fingerprint
 * for ServerTrust, so that the handshake is checked without a code to compare.
 */
class JoinLinks : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit JoinLinks(ServerTrust *trust, QObject *parent = nullptr);
    /*! \brief QML's instance, over the Session's ServerTrust. */
    static JoinLinks *create(QQmlEngine *, QJSEngine *);

    /*! \brief Whether \a text is meant as an invite link, valid or not. */
    Q_INVOKABLE static bool isJoinLink(const QString &text);
    /*!
     * \brief Reads \a text as an invite link. Valid: the server at its address is expected
     * to show its fingerprint, and the map has "url" (wss://…), "invite" and "name".
     * Otherwise an empty map, and nothing changes.
     */
    Q_INVOKABLE QVariantMap use(const QString &text);

private:
    ServerTrust *m_trust;
};

} // namespace confab::client
