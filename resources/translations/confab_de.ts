<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AppCommandLine</name>
    <message>
        <source>Confab, a desktop chat client for confabd servers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address, e.g. ws://127.0.0.1:8747.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username to sign in as.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the password from the first line of standard input and sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--password-stdin needs --server and --user as well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No password on standard input.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Message %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a room on the left, or press Ctrl+K to jump to one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Write a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) over the limit</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>Offline — reconnecting in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreateRoomDialog</name>
    <message>
        <source>Create a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, e.g. general</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DialogButtons</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DirectMessageDialog</name>
    <message>
        <source>New direct message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DirectoryDelegate</name>
    <message numerus="yes">
        <source>%1, %n member(s), joined</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, %n member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) · %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JoinRoomDialog</name>
    <message>
        <source>Browse channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No channels yet. Create the first one with “Create a room”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LeaveRoomDialog</name>
    <message>
        <source>Leave #%1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can join the channel again later from “Browse channels”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>(%1) Confab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confab</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberList</name>
    <message>
        <source>Members · %1 online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>%1 joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 created this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changed the topic to “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cleared the topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1 —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomHeader</name>
    <message>
        <source>Edit topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Members: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Hide members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave room</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomSidebar</name>
    <message>
        <source>Confab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to… (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New direct message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rooms yet. Create one or browse the channels on this server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomSwitcher</name>
    <message>
        <source>Jump to a room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No room matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct messages and mentions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notify me of direct messages and mentions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the default text size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text size in points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to Confab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example ws://chat.example.org:8747</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invite code (to create an account)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invite code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Messages in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the beginning of your conversation with %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the beginning of #%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scroll messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading older messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Jump to latest</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Jump to latest, %n new message(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TopicDialog</name>
    <message>
        <source>Edit topic of #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is this room about?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client</name>
    <message>
        <source>The username or password is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account has been disabled by the server&apos;s operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server does not accept new accounts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The invite code is missing, wrong or used up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That username is already taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password must be at least 8 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The username may only contain letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, and must start with a letter or digit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is restarting. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not sign you in. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the connection. Check the address and that the server is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server address could not be found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secure connection to the server could not be established.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This room no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are no longer a member of this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server rejected this message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message could not be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room with that name already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That room or user does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not a member of this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct conversations cannot be left and have no topic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name or topic is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not do that right now. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client::MemberListModel</name>
    <message>
        <source>%1 (you), online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (you), offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client::Notifier</name>
    <message>
        <source>%1 in #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client::RoomListModel</name>
    <message>
        <source>, %1 unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, 1 mention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 mentions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client::Session</name>
    <message>
        <source>The local cache could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a server address starting with ws:// or wss://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available, so you will have to sign in again next time. Your password and session are not stored anywhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were signed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are offline. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a name for the room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long to send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message could not be saved for sending.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client::TimelineModel</name>
    <message>
        <source>The room no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not a member of this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cleared the topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changed the topic to &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 started this conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 created #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You, sending: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You, failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You, failed: %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (mentions you)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client::TrayIcon</name>
    <message>
        <source>Confab: %1 unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confab</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::client::TypingState</name>
    <message>
        <source>%1 is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
