// The printable plan's "Print this plan" button (inline handlers are blocked by the page's CSP).
"use strict";
document.getElementById("print-plan").addEventListener("click", () => window.print());
