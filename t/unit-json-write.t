// Proves: json_write (t/unit/units write) writes into an evbuffer exactly what json_text prints: every message recorded from codex 0.169 and 0.77 and a trace, every byte value, NUL, quotes, slashes in keys and values, numbers; and a long string a result holds twice (content and structuredContent) is escaped once and referenced twice, not copied, and outlives the message it came from.
'use strict';
require('./unit/units.js').run('write');
