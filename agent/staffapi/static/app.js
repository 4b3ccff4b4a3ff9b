// Touchpoint staff page: keeps the hub banner current and adapts the
// search box to the chosen field. The page works without it.
"use strict";

const refreshEveryMs = 3000;

// refreshSync replaces the banner with the server's current one, only
// when it changed, so screen readers announce changes and nothing else.
async function refreshSync(region) {
  try {
    const res = await fetch(region.dataset.refresh, { credentials: "same-origin", cache: "no-store" });
    if (res.redirected || !res.ok) {
      region.innerHTML = '<div class="banner offline"><strong>Signed out.</strong> <a href="/login">Sign in again</a> to keep working.</div>';
      return false;
    }
    const html = (await res.text()).trim();
    if (html !== region.innerHTML.trim()) region.innerHTML = html;
  } catch (e) {
    region.innerHTML = '<div class="banner offline"><strong>This page cannot reach the agent on this PC.</strong> Check that the Touchpoint service is running.</div>';
  }
  return true;
}

// searchHints makes the keyboard on a tablet fit the field searched.
const searchHints = {
  phone: { type: "tel", inputmode: "tel", placeholder: "312-555-0142" },
  email: { type: "email", inputmode: "email", placeholder: "anna@example.com" },
  name: { type: "text", inputmode: "text", placeholder: "Anna Petrova" },
  vin: { type: "text", inputmode: "text", placeholder: "1ZT9A2B34C5678901" },
  plate: { type: "text", inputmode: "text", placeholder: "IL AB 1234" },
  customer_id: { type: "text", inputmode: "text", placeholder: "C-…" },
};

function adaptSearch(by, q) {
  const hint = searchHints[by.value] || searchHints.name;
  q.type = hint.type;
  q.inputMode = hint.inputmode;
  q.placeholder = hint.placeholder;
}

document.addEventListener("DOMContentLoaded", () => {
  const region = document.getElementById("sync-region");
  if (region) {
    const tick = async () => { if (await refreshSync(region)) setTimeout(tick, refreshEveryMs); };
    setTimeout(tick, refreshEveryMs);
  }
  const by = document.getElementById("by");
  const q = document.getElementById("q");
  if (by && q) {
    adaptSearch(by, q);
    by.addEventListener("change", () => { adaptSearch(by, q); q.focus(); });
  }
});
