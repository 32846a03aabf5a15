// Start GOV.UK Frontend and MoJ Frontend components (error summary focus, radios, navigation).
// MoJ's initAll does not start the GOV.UK components, so both are called.
import { initAll as initGovuk } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/moj-frontend.min.js";

initGovuk();
initMoj();
