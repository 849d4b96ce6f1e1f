<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AppCommandLine</name>
    <message>
        <source>Confab, a desktop chat client for confabd servers.</source>
        <translation>Confab, eine Desktop-Chat-App für confabd-Server.</translation>
    </message>
    <message>
        <source>Server address, e.g. ws://127.0.0.1:8747.</source>
        <translation>Serveradresse, z. B. ws://127.0.0.1:8747.</translation>
    </message>
    <message>
        <source>Username to sign in as.</source>
        <translation>Benutzername für die Anmeldung.</translation>
    </message>
    <message>
        <source>Read the password from the first line of standard input and sign in.</source>
        <translation>Das Passwort aus der ersten Zeile der Standardeingabe lesen und anmelden.</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Unerwartetes Argument: %1</translation>
    </message>
    <message>
        <source>--password-stdin needs --server and --user as well.</source>
        <translation>--password-stdin braucht auch --server und --user.</translation>
    </message>
    <message>
        <source>No password on standard input.</source>
        <translation>Kein Passwort auf der Standardeingabe.</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Message %1</source>
        <translation>Nachricht an %1</translation>
    </message>
    <message>
        <source>Message #%1</source>
        <translation>Nachricht in #%1</translation>
    </message>
    <message>
        <source>Pick a room on the left, or press Ctrl+K to jump to one.</source>
        <translation>Wählen Sie links einen Raum, oder springen Sie mit Strg+K zu einem.</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Write a message</source>
        <translation>Nachricht schreiben</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>Senden (Eingabetaste)</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) over the limit</source>
        <translation>
            <numerusform>%n Byte über der Grenze</numerusform>
            <numerusform>%n Bytes über der Grenze</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) left</source>
        <translation>
            <numerusform>Noch %n Byte</numerusform>
            <numerusform>Noch %n Bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>Offline — reconnecting in %1 s</source>
        <translation>Offline – neuer Versuch in %1 s</translation>
    </message>
    <message>
        <source>Offline — reconnecting…</source>
        <translation>Offline – neuer Versuch…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Jetzt versuchen</translation>
    </message>
</context>
<context>
    <name>CreateRoomDialog</name>
    <message>
        <source>Create a room</source>
        <translation>Raum erstellen</translation>
    </message>
    <message>
        <source>Name, e.g. general</source>
        <translation>Name, z. B. allgemein</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>Topic (optional)</source>
        <translation>Thema (optional)</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Erstellen</translation>
    </message>
</context>
<context>
    <name>DialogButtons</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>DirectMessageDialog</name>
    <message>
        <source>New direct message</source>
        <translation>Neue Direktnachricht</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>DirectoryDelegate</name>
    <message numerus="yes">
        <source>%1, %n member(s), joined</source>
        <translation>
            <numerusform>%1, %n Mitglied, beigetreten</numerusform>
            <numerusform>%1, %n Mitglieder, beigetreten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, %n member(s)</source>
        <translation>
            <numerusform>%1, %n Mitglied</numerusform>
            <numerusform>%1, %n Mitglieder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) · %1</source>
        <translation>
            <numerusform>%n Mitglied · %1</numerusform>
            <numerusform>%n Mitglieder · %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Beitreten</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>%1 öffnen</translation>
    </message>
    <message>
        <source>Join %1</source>
        <translation>%1 beitreten</translation>
    </message>
</context>
<context>
    <name>JoinRoomDialog</name>
    <message>
        <source>Browse channels</source>
        <translation>Kanäle durchsuchen</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>No channels yet. Create the first one with “Create a room”.</source>
        <translation>Noch keine Kanäle. Erstellen Sie den ersten mit „Raum erstellen“.</translation>
    </message>
</context>
<context>
    <name>JumpToLatestButton</name>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n neue Nachricht</numerusform>
            <numerusform>%n neue Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>Jump to latest</source>
        <translation>Zu den neuesten</translation>
    </message>
    <message numerus="yes">
        <source>Jump to latest, %n new message(s)</source>
        <translation>
            <numerusform>Zu den neuesten, %n neue Nachricht</numerusform>
            <numerusform>Zu den neuesten, %n neue Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LeaveRoomDialog</name>
    <message>
        <source>Leave #%1?</source>
        <translation>#%1 verlassen?</translation>
    </message>
    <message>
        <source>You can join the channel again later from “Browse channels”.</source>
        <translation>Über „Kanäle durchsuchen“ können Sie später wieder beitreten.</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>Verlassen</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>(%1) Confab</source>
        <translation>(%1) Confab</translation>
    </message>
    <message>
        <source>Confab</source>
        <translation>Confab</translation>
    </message>
</context>
<context>
    <name>MemberDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (Sie)</translation>
    </message>
</context>
<context>
    <name>MemberList</name>
    <message>
        <source>Members · %1 online</source>
        <translation>Mitglieder · %1 online</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>New messages</source>
        <translation>Neue Nachrichten</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Failed: %1 —</source>
        <translation>Fehlgeschlagen: %1 –</translation>
    </message>
    <message>
        <source>Failed —</source>
        <translation>Fehlgeschlagen –</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>RoomHeader</name>
    <message>
        <source>Edit topic</source>
        <translation>Thema bearbeiten</translation>
    </message>
    <message numerus="yes">
        <source>Members: %n</source>
        <translation>
            <numerusform>Mitglieder: %n</numerusform>
            <numerusform>Mitglieder: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide members</source>
        <translation>Mitglieder ausblenden</translation>
    </message>
    <message>
        <source>Show members</source>
        <translation>Mitglieder anzeigen</translation>
    </message>
    <message>
        <source>Leave room</source>
        <translation>Raum verlassen</translation>
    </message>
</context>
<context>
    <name>RoomSidebar</name>
    <message>
        <source>Confab</source>
        <translation>Confab</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Jump to a room</source>
        <translation>Zu einem Raum springen</translation>
    </message>
    <message>
        <source>Create a room</source>
        <translation>Raum erstellen</translation>
    </message>
    <message>
        <source>Browse channels</source>
        <translation>Kanäle durchsuchen</translation>
    </message>
    <message>
        <source>New direct message</source>
        <translation>Neue Direktnachricht</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>No rooms yet. Create one or browse the channels on this server.</source>
        <translation>Noch keine Räume. Erstellen Sie einen, oder durchsuchen Sie die Kanäle dieses Servers.</translation>
    </message>
    <message>
        <source>Jump to…</source>
        <translation>Springen zu…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Strg+K</translation>
    </message>
</context>
<context>
    <name>RoomSwitcher</name>
    <message>
        <source>Jump to a room</source>
        <translation>Zu einem Raum springen</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>Matching rooms</source>
        <translation>Passende Räume</translation>
    </message>
    <message>
        <source>No room matches “%1”.</source>
        <translation>Kein Raum passt zu „%1“.</translation>
    </message>
</context>
<context>
    <name>SectionHeader</name>
    <message>
        <source>Direct messages</source>
        <translation>Direktnachrichten</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation>
            <numerusform>Zu viele Versuche. Bitte in %n Sekunde erneut versuchen.</numerusform>
            <numerusform>Zu viele Versuche. Bitte in %n Sekunden erneut versuchen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Erscheinungsbild</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Direct messages and mentions</source>
        <translation>Direktnachrichten und Erwähnungen</translation>
    </message>
    <message>
        <source>Notify me of direct messages and mentions</source>
        <translation>Bei Direktnachrichten und Erwähnungen benachrichtigen</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Use the default text size</source>
        <translation>Standard-Schriftgröße verwenden</translation>
    </message>
    <message>
        <source>Text size in points</source>
        <translation>Schriftgröße in Punkt</translation>
    </message>
    <message>
        <source>Signed in as %1 on %2</source>
        <translation>Angemeldet als %1 auf %2</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to Confab</source>
        <translation>Bei Confab anmelden</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>For example ws://chat.example.org:8747</source>
        <translation>Zum Beispiel ws://chat.example.org:8747</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Invite code (to create an account)</source>
        <translation>Einladungscode (für ein neues Konto)</translation>
    </message>
    <message>
        <source>Invite code</source>
        <translation>Einladungscode</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Angemeldet bleiben</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <source>Signing in</source>
        <translation>Anmeldung läuft</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Messages in %1</source>
        <translation>Nachrichten in %1</translation>
    </message>
    <message>
        <source>Scroll messages</source>
        <translation>Nachrichten blättern</translation>
    </message>
    <message>
        <source>Loading older messages</source>
        <translation>Ältere Nachrichten werden geladen</translation>
    </message>
</context>
<context>
    <name>TimelineStart</name>
    <message>
        <source>This is the beginning of your conversation with %1.</source>
        <translation>Hier beginnt Ihre Unterhaltung mit %1.</translation>
    </message>
    <message>
        <source>This is the beginning of #%1.</source>
        <translation>Hier beginnt #%1.</translation>
    </message>
</context>
<context>
    <name>TopicDialog</name>
    <message>
        <source>Edit topic of #%1</source>
        <translation>Thema von #%1 bearbeiten</translation>
    </message>
    <message>
        <source>What is this room about?</source>
        <translation>Worum geht es in diesem Raum?</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
</context>
<context>
    <name>confab::client</name>
    <message>
        <source>The username or password is wrong.</source>
        <translation>Benutzername oder Passwort ist falsch.</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>This account has been disabled by the server's operator.</source>
        <translation>Dieses Konto wurde vom Betreiber des Servers gesperrt.</translation>
    </message>
    <message>
        <source>This server does not accept new accounts.</source>
        <translation>Dieser Server nimmt keine neuen Konten an.</translation>
    </message>
    <message>
        <source>The invite code is missing, wrong or used up.</source>
        <translation>Der Einladungscode fehlt, ist falsch oder aufgebraucht.</translation>
    </message>
    <message>
        <source>That username is already taken.</source>
        <translation>Dieser Benutzername ist schon vergeben.</translation>
    </message>
    <message>
        <source>The password must be at least 8 characters long.</source>
        <translation>Das Passwort muss mindestens 8 Zeichen lang sein.</translation>
    </message>
    <message>
        <source>The username may only contain letters, digits, '.', '_' and '-', and must start with a letter or digit.</source>
        <translation>Der Benutzername darf nur Buchstaben, Ziffern, '.', '_' und '-' enthalten und muss mit einem Buchstaben oder einer Ziffer beginnen.</translation>
    </message>
    <message>
        <source>The server is restarting. Try again in a moment.</source>
        <translation>Der Server startet neu. Bitte gleich noch einmal versuchen.</translation>
    </message>
    <message>
        <source>The server could not sign you in. Try again later.</source>
        <translation>Der Server konnte Sie nicht anmelden. Bitte später erneut versuchen.</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The server refused the connection. Check the address and that the server is running.</source>
        <translation>Der Server hat die Verbindung abgelehnt. Prüfen Sie die Adresse und ob der Server läuft.</translation>
    </message>
    <message>
        <source>The server address could not be found.</source>
        <translation>Die Serveradresse wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>A secure connection to the server could not be established.</source>
        <translation>Es konnte keine sichere Verbindung zum Server hergestellt werden.</translation>
    </message>
    <message>
        <source>The server could not be reached.</source>
        <translation>Der Server ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>This room no longer exists.</source>
        <translation>Diesen Raum gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>You are no longer a member of this room.</source>
        <translation>Sie sind nicht mehr Mitglied dieses Raums.</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Die Nachricht ist zu lang.</translation>
    </message>
    <message>
        <source>The server rejected this message.</source>
        <translation>Der Server hat diese Nachricht abgelehnt.</translation>
    </message>
    <message>
        <source>The message could not be sent.</source>
        <translation>Die Nachricht konnte nicht gesendet werden.</translation>
    </message>
    <message>
        <source>A room with that name already exists.</source>
        <translation>Einen Raum mit diesem Namen gibt es schon.</translation>
    </message>
    <message>
        <source>That room or user does not exist.</source>
        <translation>Diesen Raum oder Benutzer gibt es nicht.</translation>
    </message>
    <message>
        <source>You are not a member of this room.</source>
        <translation>Sie sind nicht Mitglied dieses Raums.</translation>
    </message>
    <message>
        <source>Direct conversations cannot be left and have no topic.</source>
        <translation>Direkte Unterhaltungen kann man nicht verlassen, und sie haben kein Thema.</translation>
    </message>
    <message>
        <source>The name or topic is not valid.</source>
        <translation>Der Name oder das Thema ist ungültig.</translation>
    </message>
    <message>
        <source>Too many requests. Try again in a moment.</source>
        <translation>Zu viele Anfragen. Bitte gleich noch einmal versuchen.</translation>
    </message>
    <message>
        <source>The server could not do that right now. Try again later.</source>
        <translation>Der Server konnte das gerade nicht ausführen. Bitte später erneut versuchen.</translation>
    </message>
</context>
<context>
    <name>confab::client::MemberListModel</name>
    <message>
        <source>%1 (you), online</source>
        <translation>%1 (Sie), online</translation>
    </message>
    <message>
        <source>%1 (you), offline</source>
        <translation>%1 (Sie), offline</translation>
    </message>
    <message>
        <source>%1, online</source>
        <translation>%1, online</translation>
    </message>
    <message>
        <source>%1, offline</source>
        <translation>%1, offline</translation>
    </message>
</context>
<context>
    <name>confab::client::MessageSender</name>
    <message>
        <source>The message is too long to send.</source>
        <translation>Die Nachricht ist zu lang zum Senden.</translation>
    </message>
    <message>
        <source>The message could not be saved for sending.</source>
        <translation>Die Nachricht konnte nicht zum Senden gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>confab::client::Notifier</name>
    <message>
        <source>%1 in #%2</source>
        <translation>%1 in #%2</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>confab::client::RoomActions</name>
    <message>
        <source>You are offline. Try again when the connection is back.</source>
        <translation>Sie sind offline. Bitte erneut versuchen, wenn die Verbindung zurück ist.</translation>
    </message>
    <message>
        <source>Enter a name for the room.</source>
        <translation>Geben Sie einen Namen für den Raum ein.</translation>
    </message>
</context>
<context>
    <name>confab::client::RoomListModel</name>
    <message>
        <source>, %1 unread</source>
        <translation>, %1 ungelesen</translation>
    </message>
    <message>
        <source>, 1 mention</source>
        <translation>, 1 Erwähnung</translation>
    </message>
    <message>
        <source>, %1 mentions</source>
        <translation>, %1 Erwähnungen</translation>
    </message>
</context>
<context>
    <name>confab::client::Session</name>
    <message>
        <source>The local cache could not be opened.</source>
        <translation>Der lokale Zwischenspeicher konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>Enter a server address starting with ws:// or wss://.</source>
        <translation>Geben Sie eine Serveradresse ein, die mit ws:// oder wss:// beginnt.</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>Geben Sie Benutzernamen und Passwort ein.</translation>
    </message>
    <message>
        <source>No keychain is available, so you will have to sign in again next time. Your password and session are not stored anywhere.</source>
        <translation>Es ist kein Schlüsselbund verfügbar, daher müssen Sie sich beim nächsten Mal erneut anmelden. Passwort und Sitzung werden nirgends gespeichert.</translation>
    </message>
    <message>
        <source>You were signed out.</source>
        <translation>Sie wurden abgemeldet.</translation>
    </message>
    <message>
        <source>You are signed out on this computer, but the server could not be told, and without a keychain the app cannot remind it later. Sign in and out again while online to end that session on the server.</source>
        <translation>Sie sind auf diesem Computer abgemeldet, aber der Server konnte nicht benachrichtigt werden, und ohne Schlüsselbund kann die App das nicht später nachholen. Melden Sie sich online noch einmal an und ab, um die Sitzung auf dem Server zu beenden.</translation>
    </message>
</context>
<context>
    <name>confab::client::TimelineModel</name>
    <message>
        <source>The room no longer exists.</source>
        <translation>Den Raum gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>You are not a member of this room.</source>
        <translation>Sie sind nicht Mitglied dieses Raums.</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Die Nachricht ist zu lang.</translation>
    </message>
    <message>
        <source>The server refused the message.</source>
        <translation>Der Server hat die Nachricht abgelehnt.</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation>%1 ist beigetreten</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 hat den Raum verlassen</translation>
    </message>
    <message>
        <source>%1 cleared the topic</source>
        <translation>%1 hat das Thema entfernt</translation>
    </message>
    <message>
        <source>%1 changed the topic to "%2"</source>
        <translation>%1 hat das Thema in „%2“ geändert</translation>
    </message>
    <message>
        <source>%1 started this conversation</source>
        <translation>%1 hat diese Unterhaltung begonnen</translation>
    </message>
    <message>
        <source>%1 created #%2</source>
        <translation>%1 hat #%2 erstellt</translation>
    </message>
    <message>
        <source>New messages.</source>
        <translation>Neue Nachrichten.</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 um %2</translation>
    </message>
    <message>
        <source>You, sending: %1</source>
        <translation>Sie, wird gesendet: %1</translation>
    </message>
    <message>
        <source>You, failed: %1</source>
        <translation>Sie, fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>You, failed: %1. %2</source>
        <translation>Sie, fehlgeschlagen: %1. %2</translation>
    </message>
    <message>
        <source>You at %1: %2</source>
        <translation>Sie um %1: %2</translation>
    </message>
    <message>
        <source>%1 at %2: %3</source>
        <translation>%1 um %2: %3</translation>
    </message>
    <message>
        <source>%1 (mentions you)</source>
        <translation>%1 (erwähnt Sie)</translation>
    </message>
</context>
<context>
    <name>confab::client::TrayIcon</name>
    <message>
        <source>Confab: %1 unread</source>
        <translation>Confab: %1 ungelesen</translation>
    </message>
    <message>
        <source>Confab</source>
        <translation>Confab</translation>
    </message>
</context>
<context>
    <name>confab::client::TypingState</name>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 schreibt…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 und %2 schreiben…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Mehrere Personen schreiben…</translation>
    </message>
</context>
</TS>
