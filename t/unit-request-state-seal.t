// Proves: request_state_seal/open on their own (t/unit/units state): a sealed requestState opens to its payload; an altered payload, an altered or cut MAC, another format, a missing MAC, an expired state, one without an expiry and one sealed under another key are each refused with their reason; two processes with the same --request-state-key file make the same key.
'use strict';
require('./unit/units.js').run('state');
