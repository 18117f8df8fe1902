// Proves: UTF-8 repair and cutting on their own (t/unit/units repair): utf8_fix gives valid text back byte for byte and replaces each maximal invalid part (FF, a sequence cut short, overlong forms, CESU-8 surrogates, values past U+10FFFF, lone continuation bytes) with one U+FFFD as WHATWG decoders do, keeps NULs and ends the copy with a NUL; utf8_cut never ends inside a 2-, 3- or 4-byte character and keeps text no longer than the limit whole.
'use strict';
require('./unit/units.js').run('repair');
