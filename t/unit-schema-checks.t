// Proves: schema_check on its own (t/unit/units schema), against the embedded tool schemas and small inline ones: required arguments, types (string, object, integer, boolean, number, array, null arguments), enums (listing their values), minLength, minimum and maximum, additionalProperties false and array items each give their exact message, and conforming arguments give none.
'use strict';
require('./unit/units.js').run('schema');
