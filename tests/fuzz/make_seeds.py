#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the seed corpora in tests/fuzz/corpus (run from tests/fuzz). Regression
# seeds (regression_*) are crash inputs kept by hand, not generated here.
import json, os, hashlib
root = 'corpus'
def put(target, name, data):
    d = os.path.join(root, target); os.makedirs(d, exist_ok=True)
    if isinstance(data, str): data = data.encode('utf-8', 'surrogatepass')
    open(os.path.join(d, name), 'wb').write(data)
def j(o): return json.dumps(o, separators=(',', ':'), ensure_ascii=False)

valid = {
 'register': {'id':1,'type':'register','username':'ana','password':'password-123'},
 'register_invite': {'id':'r-1','type':'register','username':'b.o-b_9','password':'x'*8,'invite':'abc'},
 'login': {'id':2,'type':'login','username':'Ana','password':'password-123'},
 'authenticate': {'id':3,'type':'authenticate','token':'A'*43},
 'logout': {'id':4,'type':'logout'},
 'logout_all': {'id':5,'type':'logout_all'},
 'list_rooms': {'id':6,'type':'list_rooms'},
 'create_room': {'id':7,'type':'create_room','name':'  general ','topic':'Anything goes'},
 'join': {'id':8,'type':'join','room':1},
 'leave': {'id':9,'type':'leave','room':2},
 'set_topic': {'id':10,'type':'set_topic','room':1,'topic':''},
 'open_direct': {'id':11,'type':'open_direct','user':'other'},
 'send': {'id':12,'type':'send','room':1,'txn':'a7f3:1','text':'hello @other and @ana. mail@host \u00e9\U0001F600\n\tend'},
 'history_before': {'id':13,'type':'history','room':1,'before':5,'limit':2},
 'history_after': {'id':14,'type':'history','room':1,'after':0,'limit':200},
 'sync': {'id':15,'type':'sync','rooms':{'1':0,'2':3,'9007199254740991':9007199254740991}},
 'sync_empty': {'id':16,'type':'sync','rooms':{}},
 'mark_read': {'id':17,'type':'mark_read','room':1,'seq':2},
 'typing': {'id':18,'type':'typing','room':1,'typing':True},
 'members': {'id':19,'type':'members','room':1},
 'ping': {'id':'p','type':'ping'},
 'send_reply': {'id':20,'type':'send','room':1,'txn':'a7f3:2','text':'re','replyTo':4},
 'edit': {'id':21,'type':'edit','room':1,'target':4,'text':'hello again'},
 'redact': {'id':22,'type':'redact','room':1,'target':4},
 'react': {'id':23,'type':'react','room':1,'target':4,'key':'\U0001F44D'},
 'react_zwj': {'id':24,'type':'react','room':1,'target':4,'key':'\U0001F469\u200d\U0001F4BB'},
 'react_no_fe0f': {'id':25,'type':'react','room':1,'target':4,'key':'\u2764'},
 'unreact': {'id':26,'type':'unreact','room':1,'target':4,'key':'\U0001F44D'},
 'search': {'id':27,'type':'search','query':'r\u00e9sum\u00e9 notes','room':1,'sender':'ana','after':0,'before':9007199254740991,'limit':5,'offset':0},
 'search_cjk': {'id':28,'type':'search','query':'\u65e5\u672c'},
 'context': {'id':29,'type':'context','room':1,'seq':3,'limit':7},
}
edge = {
 'not_json': 'this is not json',
 'array': '[1,2,3]',
 'empty_object': '{}',
 'no_id': '{"type":"ping"}',
 'id_negative': '{"id":-1,"type":"ping"}',
 'id_fraction': '{"id":1.5,"type":"ping"}',
 'id_huge': '{"id":9007199254740992,"type":"ping"}',
 'id_max': '{"id":9007199254740991,"type":"ping"}',
 'id_exp': '{"id":5e0,"type":"ping"}',
 'id_empty': '{"id":"","type":"ping"}',
 'id_control': '{"id":"a\\u0001","type":"ping"}',
 'id_surrogate': '{"id":"\\ud800","type":"ping"}',
 'id_long': j({'id':'x'*65,'type':'ping'}),
 'id_null': '{"id":null,"type":"ping"}',
 'id_bool': '{"id":true,"type":"ping"}',
 'type_number': '{"id":1,"type":5}',
 'type_unknown': '{"id":1,"type":"frobnicate"}',
 'unknown_field': '{"id":1,"type":"ping","zzz":1,"aaa":2}',
 'missing_field': '{"id":1,"type":"send","room":1,"txn":"a"}',
 'null_field': '{"id":1,"type":"join","room":null}',
 'room_string': '{"id":1,"type":"join","room":"1"}',
 'room_zero': '{"id":1,"type":"join","room":0}',
 'room_float': '{"id":1,"type":"join","room":1e308}',
 'room_neg_zero': '{"id":1,"type":"mark_read","room":1,"seq":-0}',
 'text_blank': '{"id":1,"type":"send","room":1,"txn":"a","text":" \\n\\t "}',
 'text_cr': '{"id":1,"type":"send","room":1,"txn":"a","text":"a\\rb"}',
 'text_surrogate': '{"id":1,"type":"send","room":1,"txn":"a","text":"\\udc00x"}',
 'text_big': j({'id':1,'type':'send','room':1,'txn':'a','text':'\u00e9'*9000}),
 'txn_bad': '{"id":1,"type":"send","room":1,"txn":"a b","text":"x"}',
 'user_bad': '{"id":1,"type":"open_direct","user":"-ana"}',
 'user_long': j({'id':1,'type':'login','username':'a'*33,'password':'p'}),
 'password_long': j({'id':1,'type':'login','username':'a','password':'p'*1025}),
 'name_blank': '{"id":1,"type":"create_room","name":"\\u3000 "}',
 'topic_control': '{"id":1,"type":"set_topic","room":1,"topic":"\\u0085"}',
 'history_both': '{"id":1,"type":"history","room":1,"before":3,"after":1}',
 'history_limit0': '{"id":1,"type":"history","room":1,"limit":0}',
 'typing_int': '{"id":1,"type":"typing","room":1,"typing":1}',
 'sync_bad_key': '{"id":1,"type":"sync","rooms":{"01":1}}',
 'sync_bad_value': '{"id":1,"type":"sync","rooms":{"1":-1}}',
 'sync_array': '{"id":1,"type":"sync","rooms":[]}',
 'deep_nesting': '{"id":1,"type":"ping","x":' + '['*2000 + ']'*2000 + '}',
 'duplicate_keys': '{"id":1,"id":"x","type":"ping","type":"join","room":1}',
 'bom': '\ufeff{"id":1,"type":"ping"}',
 'invalid_utf8': b'{"id":1,"type":"send","room":1,"txn":"a","text":"\xc0\xaf\xed\xa0\x80"}',
 'nul_inside': b'{"id":1,"type":"ping"}\x00',
 'escaped_keys': '{"\\u0069d":1,"typ\\u0065":"ping"}',
 'whitespace': ' \n\t{ "id" : 1 , "type" : "ping" }\r\n',
 'react_text': '{"id":1,"type":"react","room":1,"target":4,"key":"a"}',
 'react_two': '{"id":1,"type":"react","room":1,"target":4,"key":"\\ud83d\\udc4d\\ud83d\\udc4d"}',
 'react_lone_zwj': '{"id":1,"type":"react","room":1,"target":4,"key":"\\u200d"}',
 'search_operators': '{"id":1,"type":"search","query":"a OR b NEAR(\\"x\\" *"}',
 'search_offset_big': '{"id":1,"type":"search","query":"a","offset":1000}',
 'edit_target0': '{"id":1,"type":"edit","room":1,"target":0,"text":"x"}',
}
for k, v in valid.items():
    put('fuzz_request_codec', 'valid_' + k, j(v))
for k, v in edge.items():
    put('fuzz_request_codec', 'edge_' + k, v)

# Server frames, as confabd writes them, and broken ones.
ev = {'id':10,'kind':'message','room':1,'seq':4,'sender':'ana','text':'hi @bob','txn':'t:1','ts':1700000000000,'mentions':['bob']}
frames = {
 'hello': {'limits':{'authTimeoutMs':10000,'heartbeatIntervalMs':30000,'historyPageMax':200,'maxFrameBytes':65536,'maxTextBytes':16384,'rateBurst':60,'ratePerSecond':20,'resumeMax':500,'typingTtlMs':6000},'protocol':1,'registration':'open','server':'confabd/0.1.0','type':'hello'},
 'result': {'data':{'rooms':[]},'id':7,'type':'result'},
 'error': {'code':'not_member','id':7,'message':'you are not a member of room 1','type':'error'},
 'error_unknown_code': {'code':'zzz','id':None,'message':'','type':'error','field':'id'},
 'event_message': {'type':'event','event':ev},
 'event_create': {'type':'event','event':{'id':1,'kind':'create','room':1,'seq':1,'sender':'ana','name':'general','topic':'t','ts':1}},
 'event_join': {'type':'event','event':{'id':2,'kind':'join','room':1,'seq':2,'sender':'bob','ts':2}},
 'event_leave': {'type':'event','event':{'id':3,'kind':'leave','room':1,'seq':3,'sender':'bob','ts':3}},
 'event_topic': {'type':'event','event':{'id':4,'kind':'topic','room':1,'seq':5,'sender':'bob','topic':'new','ts':3}},
 'event_huge_numbers': {'type':'event','event':{'id':1e300,'kind':'message','room':-1e300,'seq':1e19,'sender':'a','ts':-1e19}},
 'event_wrong_types': {'type':'event','event':{'id':'1','kind':'message','room':1,'seq':1,'sender':'a','mentions':[1,None,{}],'text':5}},
 'room': {'type':'room','room':{'id':1,'kind':'channel','lastSeq':7,'memberCount':2,'mentions':0,'name':'general','readSeq':5,'topic':'x','unread':1}},
 'unread': {'type':'unread','room':1,'readSeq':5,'unread':0,'mentions':0},
 'presence': {'type':'presence','user':'ana','online':True},
 'typing': {'type':'typing','room':1,'user':'ana','typing':False},
 'event_edit': {'type':'event','event':{'id':5,'kind':'edit','room':1,'seq':6,'sender':'ana','target':4,'text':'hi again','ts':4}},
 'event_redact': {'type':'event','event':{'id':6,'kind':'redact','room':1,'seq':7,'sender':'ana','target':4,'ts':5}},
 'event_react': {'type':'event','event':{'id':7,'kind':'react','room':1,'seq':8,'sender':'bob','target':4,'key':'\U0001F44D','ts':6}},
 'event_unreact_no_key': {'type':'event','event':{'id':8,'kind':'unreact','room':1,'seq':9,'sender':'bob','target':4,'ts':7}},
 'history_with_state': {'type':'result','id':3,'data':{'room':1,'hasMore':False,'events':[dict(ev, replyTo=2, editedAt=5, changedSeq=9,
    reactions=[{'key':'\U0001F44D','count':2,'users':['bob','cy']},{'key':'x','count':-1,'users':[1]}]), dict(ev, seq=5, text='', redacted=True)]}},
 'search_result': {'type':'result','id':4,'data':{'hasMore':True,'hits':[{'event':ev,'snippet':'hi @bob','highlights':[{'start':3,'length':4},{'start':99,'length':1}]}]}},
 'context_result': {'type':'result','id':5,'data':{'room':1,'events':[ev],'hasMoreBefore':True,'hasMoreAfter':False}},
 'unknown': {'type':'zzz'},
 'no_type': {'id':1},
}
for k, v in frames.items():
    put('fuzz_server_frame', k, j(v))
put('fuzz_server_frame', 'not_object', '[{"type":"hello"}]')
put('fuzz_server_frame', 'truncated', j(frames['event_message'])[:40])

texts = {
 'mentions': 'hi @ana, @Bob. and @carol- @ana again mail@host @@x @',
 'mention_33': '@' + 'a'*33 + ' @' + 'b'*32,
 'mention_trailing_dots': 'see @ana... and @-x @.y @a.b.c-',
 'unicode': 'caf\u00e9 \U0001F600 @\u00e9t\u00e9 \u200b@zero',
 'usernames': 'Ana_9.x-',
 'txn': 'a7f3:1',
 'controls': 'a\u0000b\u001fc\u007fd\u0085e\u009ff\n\t\r',
 'overlong': b'\xc0\xaf\xe0\x80\xaf',
 'surrogate_utf8': b'\xed\xa0\x80\xed\xb0\x80',
 'truncated_utf8': b'\xe2\x82',
 'max_codepoint': b'\xf4\x8f\xbf\xbf\xf4\x90\x80\x80',
 'bom': b'\xef\xbb\xbf@ana',
 'utf16_surrogates': '\ud800a\udc00\ud83d\ude00'.encode('utf-16-le', 'surrogatepass'),
}
for k, v in texts.items():
    put('fuzz_text_rules', k, v)

# Dispatch: first byte '1' = signed in, '0' = anonymous; then one frame per line.
def session(signed, *reqs):
    return ('1' if signed else '0') + '\n'.join(r if isinstance(r, str) else j(r) for r in reqs)
disp = {
 'anon_ping': session(False, valid['ping']),
 'anon_everything': session(False, *valid.values()),
 'anon_register_weak': session(False, {'id':1,'type':'register','username':'newbie','password':'short'}),
 'anon_register': session(False, {'id':1,'type':'register','username':'newbie','password':'password-123'}, {'id':2,'type':'list_rooms'}),
 'anon_login_wrong': session(False, {'id':1,'type':'login','username':'fuzzer','password':'wrong-password'}),
 'anon_login': session(False, {'id':1,'type':'login','username':'fuzzer','password':'password-123'}, {'id':2,'type':'sync','rooms':{}}),
 'anon_bad_token': session(False, {'id':1,'type':'authenticate','token':'nope'}),
 'anon_garbage': session(False, 'not json', '[]', '{"id":1}', '\x01binary'),
 'signed_rooms': session(True, {'id':1,'type':'list_rooms'}, {'id':2,'type':'create_room','name':'new room','topic':'t'},
    {'id':3,'type':'join','room':4}, {'id':4,'type':'set_topic','room':4,'topic':'x'}, {'id':5,'type':'leave','room':4}),
 'signed_messages': session(True, {'id':1,'type':'send','room':1,'txn':'t:1','text':'hi @other'},
    {'id':2,'type':'send','room':1,'txn':'t:1','text':'hi @other'}, {'id':3,'type':'history','room':1,'before':10,'limit':5},
    {'id':4,'type':'history','room':1,'after':0}, {'id':5,'type':'mark_read','room':1,'seq':2}, {'id':6,'type':'mark_read','room':1,'seq':999}),
 'signed_sync': session(True, {'id':1,'type':'sync','rooms':{'1':0,'2':0,'3':0,'99':5}}),
 'signed_typing': session(True, {'id':1,'type':'typing','room':1,'typing':True}, {'id':2,'type':'typing','room':1,'typing':False}, {'id':3,'type':'typing','room':3,'typing':True}),
 'signed_direct': session(True, {'id':1,'type':'open_direct','user':'other'}, {'id':2,'type':'open_direct','user':'fuzzer'},
    {'id':3,'type':'open_direct','user':'nobody'}, {'id':4,'type':'leave','room':3}, {'id':5,'type':'set_topic','room':3,'topic':'x'}, {'id':6,'type':'join','room':3}),
 'signed_members': session(True, {'id':1,'type':'members','room':1}, {'id':2,'type':'members','room':2}, {'id':3,'type':'members','room':77}),
 'signed_not_member': session(True, {'id':1,'type':'leave','room':2}, {'id':2,'type':'send','room':2,'txn':'x','text':'y'}, {'id':3,'type':'history','room':2}),
 'signed_already': session(True, valid['login'], valid['register'], valid['authenticate'], valid['ping']),
 'signed_logout': session(True, {'id':1,'type':'send','room':1,'txn':'z','text':'bye'}, {'id':2,'type':'logout'}, {'id':3,'type':'ping'}),
 'signed_logout_all': session(True, {'id':1,'type':'logout_all'}, {'id':2,'type':'list_rooms'}),
 'signed_name_taken': session(True, {'id':1,'type':'create_room','name':'General'}, {'id':2,'type':'create_room','name':' general '}),
 'signed_everything': session(True, *valid.values()),
 'signed_conversation': session(True, {'id':1,'type':'send','room':1,'txn':'c:1','text':'first @other'},
    {'id':2,'type':'send','room':1,'txn':'c:2','text':'second','replyTo':4}, {'id':3,'type':'edit','room':1,'target':4,'text':'first, edited'},
    {'id':4,'type':'react','room':1,'target':4,'key':'\U0001F44D'}, {'id':5,'type':'react','room':1,'target':4,'key':'\U0001F44D'},
    {'id':6,'type':'unreact','room':1,'target':4,'key':'\U0001F44D'}, {'id':7,'type':'redact','room':1,'target':4},
    {'id':8,'type':'redact','room':1,'target':4}, {'id':9,'type':'edit','room':1,'target':4,'text':'x'},
    {'id':10,'type':'history','room':1,'after':0}, {'id':11,'type':'context','room':1,'seq':4,'limit':3},
    {'id':12,'type':'search','query':'first'}, {'id':13,'type':'react','room':1,'target':2,'key':'\u2764'}),
 # Files (§16): a binary line is 0x01, then the message: kind, upload id, offset (big-endian).
 'signed_files': session(True, {'id':1,'type':'upload_begin','name':'a.txt','size':10},
    '\x01' + '\x01' + '\x00' * 7 + '\x01' + '\x00' * 8 + 'hello',
    '\x01' + '\x01' + '\x00' * 7 + '\x01' + '\x00' * 7 + '\x05' + 'world',
    '\x01' + '\x01' + '\x00' * 7 + '\x01' + '\x00' * 7 + '\x03' + 'bad offset',
    '\x01' + '\x02' + '\x00' * 16 + 'wrong kind', {'id':2,'type':'upload_status','upload':1},
    {'id':3,'type':'upload_finish','upload':1}, {'id':4,'type':'send','room':1,'txn':'f:1','attachments':[1]},
    {'id':5,'type':'download','file':1}, {'id':6,'type':'download','file':1,'offset':4,'length':3},
    {'id':7,'type':'download','file':1,'thumbnail':True}, {'id':8,'type':'upload_begin','name':'b','size':3},
    {'id':9,'type':'upload_cancel','upload':2}, {'id':10,'type':'redact','room':1,'target':5}),
 'signed_edges': session(True, *[(v if isinstance(v, str) else v.decode('utf-8','replace')).replace('\n', ' ') for k2, v in edge.items() if k2 != 'deep_nesting']),
}
for k, v in disp.items():
    put('fuzz_dispatch', k, v)

# fuzz_client_frames: the first byte picks the read split; then masked client frames.
def frame(op, payload, fin=True, key=b'\x12\x34\x56\x78'):
    if isinstance(payload, str): payload = payload.encode()
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | op])
    if n < 126: head += bytes([0x80 | n])
    elif n < 65536: head += bytes([0x80 | 126]) + n.to_bytes(2, 'big')
    else: head += bytes([0x80 | 127]) + n.to_bytes(8, 'big')
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))
put('fuzz_client_frames', 'text', b'\x00' + frame(1, j(valid['send'])))
put('fuzz_client_frames', 'fragments_with_ping', b'\x03' + frame(1, '{"id":', False)
    + frame(9, 'hi') + frame(0, '1}', False) + frame(0, ''))
put('fuzz_client_frames', 'binary_16bit', b'\x07' + frame(2, bytes(range(256)) * 2))
put('fuzz_client_frames', 'close_with_reason', b'\x01' + frame(10, '') + frame(8, b'\x03\xe8bye'))
put('fuzz_client_frames', 'utf8_across_fragments', b'\x02' + frame(1, b'\xe2', False)
    + frame(0, b'\x82\xac'))
