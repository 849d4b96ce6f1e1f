<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Composer</name>
    <message numerus="yes">
        <source>%n byte(s) over the limit</source>
        <translation>
            <numerusform>%n byte over the limit</numerusform>
            <numerusform>%n bytes over the limit</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) left</source>
        <translation>
            <numerusform>%n byte left</numerusform>
            <numerusform>%n bytes left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DirectoryDelegate</name>
    <message numerus="yes">
        <source>%1, %n member(s), joined</source>
        <translation>
            <numerusform>%1, %n member, joined</numerusform>
            <numerusform>%1, %n members, joined</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, %n member(s)</source>
        <translation>
            <numerusform>%1, %n member</numerusform>
            <numerusform>%1, %n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) · %1</source>
        <translation>
            <numerusform>%n member · %1</numerusform>
            <numerusform>%n members · %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JumpToLatestButton</name>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Jump to latest, %n new message(s)</source>
        <translation>
            <numerusform>Jump to latest, %n new message</numerusform>
            <numerusform>Jump to latest, %n new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RoomHeader</name>
    <message numerus="yes">
        <source>Members: %n</source>
        <translation>
            <numerusform>Members: %n</numerusform>
            <numerusform>Members: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many attempts. Try again in %n second.</numerusform>
            <numerusform>Too many attempts. Try again in %n seconds.</numerusform>
        </translation>
    </message>
</context>
</TS>
