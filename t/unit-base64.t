// Proves: base64_decode and base64url_encode on their own (t/unit/units base64): padded standard base64 with one, two or no pad characters decodes, a missing pad, a foreign character or nothing is refused; unpadded base64url decodes with - and _, and refuses +, padding and a lone character; encoding gives base64url without padding.
'use strict';
require('./unit/units.js').run('base64');
