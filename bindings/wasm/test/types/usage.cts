// The CommonJS view of the package, compiled with `tsc --noEmit`.
import cidrplan = require("cidrplan");

const result: cidrplan.AggregateResult = cidrplan.aggregate(["10.0.0.0/8"]);
const codes: cidrplan.ErrorCode[] = cidrplan.errorCodes();
void [result, codes];
