/* leadgate embed.js: posts <form data-leadgate="estimate|newsletter|consultation"> as JSON, shows errors
 * beside their fields and success in place, and draws the slot picker of /book. See docs/website.md. */
(function () {
  "use strict";

  // The script's own URL names the leadgate to talk to (a path in front of /embed.js is kept).
  const src = document.currentScript && document.currentScript.src;
  const base = src ? src.replace(/\/(assets\/)?embed[^/]*$/, "") : location.origin;
  const DONE = {
    estimate: "Thank you, we have your request. We will reply within one business day.",
    newsletter: "Almost done: please confirm your address with the link we have just e-mailed you.",
    consultation: "A confirmation e-mail with links to reschedule or cancel is on its way."
  };
  // British English reads "Monday 14 December", as leadgate's own /book page does.
  const DAY = new Intl.DateTimeFormat("en-GB", {weekday: "long", day: "numeric", month: "long", timeZone: "UTC"});
  let count = 0, pickers = 0;

  // Text goes in as text only: nothing a server sends is ever parsed as HTML.
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const name in attrs) node.setAttribute(name, attrs[name]);
    if (text) node.textContent = text;
    return node;
  }

  function input(form, name, create) {
    let node = form.querySelector('input[name="' + name + '"]');
    if (!node && create) form.append(node = el("input", {type: "hidden", name: name}));
    return node;
  }

  function value(form, name) {
    const node = input(form, name);
    return node ? node.value : "";
  }

  function buttons(form) {
    return form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit]");
  }

  function busy(form, on) {
    form.classList.toggle("leadgate-busy", on);
    for (const button of buttons(form)) {
      button.disabled = on;
      if (on) button.setAttribute("aria-busy", "true"); else button.removeAttribute("aria-busy");
    }
  }

  // Just above the submit button, where the visitor is looking.
  function place(form, node) {
    const at = buttons(form)[0];
    if (at) at.before(node); else form.append(node);
    return node;
  }

  function notice(text) {
    return el("p", {class: "leadgate-alert", role: "alert"}, text);
  }

  function zone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  // The day of a slot's local_start ("2026-12-14T09:00:00-05:00"): its date, read as a UTC date.
  function day(local) {
    return DAY.format(new Date(local.slice(0, 10)));
  }

  // Draws the free slots of the next 14 days in the first of `zones` that leadgate knows (it answers 422
  // to others) with the markup of /book, and sets the form's timezone. Rejects when none could be shown.
  async function slots(form, state, zones) {
    const host = form.getAttribute("data-leadgate-host") || value(form, "host");
    for (const tz of zones) {
      const p = {};
      try {
        const format = new Intl.DateTimeFormat("en-US", {timeZone: tz, year: "numeric", month: "numeric",
                                                         day: "numeric"});
        for (const part of format.formatToParts(new Date())) p[part.type] = +part.value;
      } catch (e) {
        continue;  // a zone this browser does not know
      }
      const date = (n) => new Date(Date.UTC(p.year, p.month - 1, p.day + n)).toISOString().slice(0, 10);
      const query = new URLSearchParams({from: date(0), to: date(13), tz: tz});
      if (host) query.set("host", host);
      const res = await fetch(base + "/v1/booking/slots?" + query,
                              {credentials: "omit", headers: {Accept: "application/json"}});
      if (res.status === 422) continue;
      if (!res.ok) throw new Error(res.status);
      const list = form.querySelector("[data-leadgate-slot-list]");
      let fieldset, shown;
      list.textContent = "";
      for (const slot of (await res.json()).slots) {
        const local = slot.local_start, id = state.ids + Date.parse(slot.start) / 1000;
        if (day(local) !== shown) {
          fieldset = list.appendChild(el("fieldset"));
          fieldset.append(el("legend", {}, shown = day(local)));
        }
        fieldset.appendChild(el("label", {for: id})).append(
          el("input", {type: "radio", name: "slot_start", value: slot.start, id: id, required: ""}),
          " " + local.slice(11, 16));
        state.local[slot.start] = local;
      }
      if (!shown) list.append(el("p", {"data-leadgate-no-slots": ""}, "No free times in the next two weeks."));
      input(form, "timezone", true).value = tz;
      return tz;
    }
    throw new Error("no zone");
  }

  function picker(form, state, taken) {
    const list = form.querySelector("[data-leadgate-slot-list]") ||
                 place(form, el("div", {"data-leadgate-slot-list": ""}));
    list.classList.add("leadgate-slots");
    list.textContent = "";
    list.append(el("p", {class: "leadgate-loading"}, "Loading free times…"));
    slots(form, state, state.zones).then(() => {
      if (!taken) return;
      state.shown.push(list.insertBefore(notice("That time was just taken. Please choose another."), list.firstChild));
      const first = list.querySelector("input");
      if (first) first.focus();
    }, () => {
      const host = form.getAttribute("data-leadgate-host");
      const note = notice("The free times could not be loaded. Please ");
      note.append(el("a", {href: base + "/book" + (host ? "?host=" + encodeURIComponent(host) : "")},
                     "choose a time on our booking page"), ".");
      list.textContent = "";
      list.append(note);
    });
  }

  // The fields as one JSON object: a name of several checkboxes (or ending in []) is a list, a lone
  // checkbox true; _next is for plain posts (here the script shows the success).
  function entries(form) {
    const boxes = {}, out = {};
    for (const box of form.querySelectorAll("input[type=checkbox]")) boxes[box.name] = (boxes[box.name] || 0) + 1;
    for (const [name, value] of new FormData(form)) {
      const key = name.replace(/\[\]$/, "");
      if (name === "_next" || typeof value !== "string") continue;
      out[key] = key in out ? [].concat(out[key], value)
               : key !== name || boxes[name] > 1 ? [value]
               : boxes[name] ? true : value;
    }
    return out;
  }

  // crypto.randomUUID exists only in secure contexts: a site on plain http (not localhost) lacks it.
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join("");
  }

  // A post without an answer in 20 s counts as a network error; its retry carries the same key.
  function post(kind, body, key) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 20000);
    return fetch(base + "/v1/forms/" + kind, {
      method: "POST", credentials: "omit", body: body, signal: abort.signal,
      headers: {"Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": key}
    }).finally(() => clearTimeout(timer));
  }

  function clear(state) {
    for (const node of state.shown) node.remove();
    for (const [control, described] of state.marked) {
      control.removeAttribute("aria-invalid");
      if (described) control.setAttribute("aria-describedby", described);
      else control.removeAttribute("aria-describedby");
    }
    state.shown = [];
    state.marked.clear();
  }

  function say(form, state, text) {
    state.shown.push(place(form, notice(text)));
  }

  // Each error beside its field; errors of fields the visitor cannot see in one form-level message.
  function showErrors(form, state, errors) {
    const loose = [];
    for (const error of errors) {
      const named = form.elements.namedItem(error.field) || form.elements.namedItem(error.field + "[]");
      const controls = (named instanceof Element ? [named] : Array.from(named || []))
        .filter((control) => control.type !== "hidden");
      const id = state.prefix + error.field.replace(/\W/g, "_");
      let note = document.getElementById(id);
      if (!controls.length) {
        loose.push(error.field + ": " + error.message);
      } else if (note) {
        note.textContent += " " + error.message;
      } else {
        // A group's message goes after its fieldset (or the slot list), a checkbox's after its label.
        const first = controls[0];
        note = el("p", {class: "leadgate-error", id: id}, error.message);
        (first.closest("[data-leadgate-slot-list]") || (controls[1] && first.closest("fieldset")) ||
         (/radio|checkbox/.test(first.type) && first.closest("label")) || first).after(note);
        state.shown.push(note);
        for (const control of controls) {
          const described = control.getAttribute("aria-describedby");
          state.marked.set(control, described);
          control.setAttribute("aria-invalid", "true");
          control.setAttribute("aria-describedby", described ? described + " " + id : id);
        }
      }
    }
    if (loose.length) say(form, state, loose.join(" "));
    const first = Array.from(form.elements).find((control) => state.marked.has(control));
    if (first) first.focus();
  }

  function succeed(form, kind, state, status, body, sent) {
    const box = el("div", {class: "leadgate-status", role: "status", tabindex: "-1"});
    const local = state.local[sent.slot_start];
    if (kind === "consultation") {
      const when = local ? day(local) + " " + local.slice(0, 4) + ", " + local.slice(11, 16) +
                           " (" + value(form, "timezone") + ")"
                         : new Date(sent.slot_start).toLocaleString();
      box.append(el("p", {}, "Your consultation is booked for " + when + "."));
    }
    box.append(el("p", {}, form.getAttribute("data-leadgate-success") || DONE[kind]));
    // Fired while the form is still in the page, so that listeners on the document hear it.
    form.dispatchEvent(new CustomEvent("leadgate:success",
                                       {bubbles: true, detail: {kind: kind, status: status, body: body}}));
    form.replaceWith(box);
    box.focus();
  }

  async function submit(form, kind, state) {
    clear(state);
    const sent = entries(form), body = JSON.stringify(sent), focused = document.activeElement;
    // One key per attempt: unchanged entries sent again after a network error keep it, so leadgate stores
    // them once whichever try reached it; changed entries are a new attempt.
    if (body !== state.body) {
      state.body = body;
      state.key = newKey();
    }
    state.busy = true;
    busy(form, true);
    let res = null;
    for (const wait of [0, 1000, 3000]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      res = await post(kind, body, state.key).catch(() => null);
      if (res) break;
    }
    state.busy = false;
    busy(form, false);
    // A disabled button loses the focus; a keyboard user gets it back where they were.
    if (document.activeElement === document.body && focused) focused.focus();
    const data = res && await res.json().catch(() => null);
    if (res && res.ok) return succeed(form, kind, state, res.status, data, sent);
    if (!res) {
      say(form, state, "We could not reach our server. Please check your connection and send again.");
    } else if (res.status === 422 && data && data.errors) {
      showErrors(form, state, data.errors);
    } else if (res.status === 409 && kind === "consultation") {
      picker(form, state, true);
    } else {
      // A short Retry-After (429, 503) is worth a number; a long one the server's own words explain.
      const wait = parseInt(res.headers.get("Retry-After"), 10);
      say(form, state, ((data && data.detail) || "Something went wrong on our side. Please try again later.") +
          (wait > 0 && wait < 100 ? " You can send again in " + wait + " seconds." : ""));
    }
    if (res) state.body = null;  // leadgate answered: sending again is a new attempt
    const detail = {kind: kind, status: res ? res.status : 0, problem: data};
    form.dispatchEvent(new CustomEvent("leadgate:error", {bubbles: true, detail: detail}));
  }

  function enhance(form, kind) {
    count += 1;
    const state = {prefix: "leadgate" + count + "-error-", shown: [], marked: new Map(), local: {}};
    // Every error then comes from leadgate's 422, shown beside its field; the browser's own bubbles
    // would stop some submits first and show those errors differently.
    form.noValidate = true;
    const ts = input(form, "_ts", true);
    if (!ts.value) ts.value = Math.floor(Date.now() / 1000);
    if (kind === "consultation") {
      // Ids as on /book (slot-<unix time>), made unique when a page has more than one picker.
      pickers += 1;
      state.ids = pickers > 1 ? "slot" + pickers + "-" : "slot-";
      const host = form.getAttribute("data-leadgate-host");
      if (host) input(form, "host", true).value = host;
      // The visitor's zone, else the one the page was written for (the business's).
      state.zones = [zone(), value(form, "timezone")].filter((tz, i, all) => tz && all.indexOf(tz) === i);
      picker(form, state);
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!state.busy) submit(form, kind, state);
    });
  }

  // Step 1 of leadgate's /book stays a plain post. Without a tz in its URL it shows the business's zone,
  // so its times are drawn again in the browser's zone.
  function enhanceBook(form) {
    const tz = zone();
    if (!tz || tz === value(form, "timezone") || /[?&]tz=/.test(location.search)) return;
    slots(form, {ids: "slot-", local: {}}, [tz]).then(() => {
      for (const name of document.querySelectorAll("[data-leadgate-zone-name]")) name.textContent = tz;
      const select = document.getElementById("tz");
      if (!select) return;
      if (!Array.from(select.options).some((option) => option.value === tz)) select.append(el("option", {}, tz));
      select.value = tz;
    }, () => {});  // the page's own list stays: it is right for the zone it names
  }

  function guard(form) {
    let sent = false;
    form.addEventListener("submit", (event) => {
      if (sent) return event.preventDefault();
      sent = true;
      // Disabled after this task: a button disabled now would be left out of what is sent.
      setTimeout(() => busy(form, true));
    });
    // Back to this page from the browser's cache: the form may be sent again.
    addEventListener("pageshow", (event) => {
      if (!event.persisted) return;
      sent = false;
      busy(form, false);
    });
  }

  function start() {
    for (const form of document.querySelectorAll("form[data-leadgate]")) {
      const kind = form.getAttribute("data-leadgate");
      if (!/^(estimate|newsletter|consultation)$/.test(kind) || form.classList.contains("leadgate-ready")) {
        continue;
      }
      form.classList.add("leadgate-ready");
      enhance(form, kind);
    }
    // On leadgate's /book pages every form is guarded against double submits.
    if (document.querySelector("form[data-leadgate-book]")) document.querySelectorAll("form").forEach(guard);
    const list = document.querySelector("form[data-leadgate-book] [data-leadgate-slot-list]");
    if (list) enhanceBook(list.closest("form"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
