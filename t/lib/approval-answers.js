'use strict';
// The answers a user may give the approval form, as ElicitResults, and the
// decision codex must get for each: [what, ElicitResult, decision].
module.exports = [
  ['accept', { action: 'accept', content: { decision: 'accept' } }, 'accept'],
  ['acceptForSession', { action: 'accept', content: { decision: 'acceptForSession' } }, 'acceptForSession'],
  ['accept with decision decline', { action: 'accept', content: { decision: 'decline' } }, 'decline'],
  ['action decline', { action: 'decline' }, 'decline'],
  ['action cancel', { action: 'cancel' }, 'decline'],
];
