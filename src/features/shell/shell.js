// The frame's behaviour, by event delegation on the document: splitters, rails, menus, tab
// lists' arrow keys, and focus given back when a dialog closes. Here rather than in Leptos
// because the same in Rust cost the editor's bundle 8 KB gzip (an instantiation of the view and
// event machinery per handler), this about 1 KB; the markup and the state people see stay in
// Rust (features/shell). Widths are kept in localStorage and applied as CSS variables
// (--fs-w-screens, ...) on the root, so a pane mounted later gets its width too.

const WIDTHS = "flowsmith-panes";
const VISITED = "flowsmith-visited";
const root = document.documentElement;

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function readWidths() {
  try {
    return JSON.parse(storage()?.getItem(WIDTHS) || "{}") || {};
  } catch {
    return {};
  }
}

// A splitter's pane, its limits and which way it grows.
function paneOf(splitter) {
  const pane = document.getElementById(splitter.getAttribute("aria-controls"));
  const min = +splitter.getAttribute("aria-valuemin");
  const max = +splitter.getAttribute("aria-valuemax");
  // A pane after its splitter is on its right: moving the splitter right narrows it.
  const after = pane && splitter.compareDocumentPosition(pane) & Node.DOCUMENT_POSITION_FOLLOWING;
  return { pane, min, max, name: pane?.dataset.pane, side: after ? -1 : 1 };
}

// Sets a pane's width within its limits, never taking the main pane under its minimum.
// `keep`: remembered in this browser and applied to the root (the end of a drag or a key).
function resize(splitter, width, keep) {
  const { pane, min, max, name } = paneOf(splitter);
  if (!pane) return;
  const main = document.getElementById("pane-main");
  const room = pane.offsetWidth + (main ? main.offsetWidth - 320 : 0);
  const to = Math.round(Math.max(min, Math.min(max, width, Math.max(room, min))));
  pane.style.width = to + "px";
  splitter.setAttribute("aria-valuenow", to);
  if (keep) {
    root.style.setProperty("--fs-w-" + name, to + "px");
    const widths = readWidths();
    widths[name] = to;
    storage()?.setItem(WIDTHS, JSON.stringify(widths));
  }
}

let drag = null;

function closeMenu(menu, refocus) {
  if (!menu?.open) return false;
  menu.open = false;
  if (refocus) menu.querySelector("summary").focus();
  return true;
}

function closeOverlays(except) {
  for (const dock of document.querySelectorAll(".dock--overlay")) {
    if (dock === except) continue;
    dock.classList.remove("dock--overlay");
    dock.querySelector(".rail")?.setAttribute("aria-expanded", "false");
  }
}

const KEYS = { ArrowLeft: -1, ArrowRight: 1 };

function onKeydown(event) {
  const target = event.target;
  if (event.defaultPrevented || !(target instanceof Element)) return;
  const key = event.key;
  if (target.matches(".splitter")) {
    const { pane, min, max, side } = paneOf(target);
    const step = event.shiftKey ? 64 : 16;
    const to = key in KEYS ? pane.offsetWidth + KEYS[key] * side * step : key === "Home" ? min : key === "End" ? max : null;
    if (to !== null) {
      event.preventDefault();
      resize(target, to, true);
    }
    return;
  }
  const tabs = target.closest("[role=tablist]");
  if (tabs && (key in KEYS || key === "Home" || key === "End")) {
    const all = [...tabs.querySelectorAll("[role=tab]:not(:disabled)")];
    const at = all.indexOf(target);
    const next = all[key === "Home" ? 0 : key === "End" ? all.length - 1 : (at + KEYS[key] + all.length) % all.length];
    event.preventDefault();
    next?.focus();
    next?.click();
    return;
  }
  if (key !== "Escape" || target.closest("dialog")) return;
  if (closeMenu(target.closest("details.menu"), true)) {
    event.preventDefault();
    return;
  }
  const dock = target.closest(".dock--overlay");
  if (dock) {
    closeOverlays();
    dock.querySelector(".rail").focus();
  }
}

function onClick(event) {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const rail = target.closest(".rail");
  if (rail) {
    const dock = rail.parentElement;
    closeOverlays(dock);
    rail.setAttribute("aria-expanded", dock.classList.toggle("dock--overlay"));
  }
  if (target.closest(".menu__items button")) closeMenu(target.closest("details.menu"), true);
  const hint = target.closest("[data-dismiss]");
  if (hint) hint.parentElement.hidden = true;
  // A button that closes what it is in says where focus goes next.
  const then = target.closest("[data-then-focus]")?.dataset.thenFocus;
  if (then) requestAnimationFrame(() => document.querySelector(then)?.focus());
}

function onPointerdown(event) {
  const target = event.target;
  if (!(target instanceof Element)) return;
  if (target.closest("#pane-main")) closeOverlays();
  if (event.button !== 0 || !target.matches(".splitter")) return;
  event.preventDefault();
  try {
    target.setPointerCapture(event.pointerId);
  } catch {
    // A pointer the browser does not know (a synthetic event): the document still hears it.
  }
  drag = { splitter: target, x: event.clientX, width: paneOf(target).pane?.offsetWidth ?? 0 };
}

function onPointermove(event) {
  if (drag) resize(drag.splitter, drag.width + paneOf(drag.splitter).side * (event.clientX - drag.x), false);
}

function onPointerup() {
  if (!drag) return;
  const { splitter } = drag;
  drag = null;
  resize(splitter, paneOf(splitter).pane?.offsetWidth ?? 0, true);
}

// Starts the frame's behaviour once; returns whether this is the browser's first visit.
export function startShell() {
  for (const [name, width] of Object.entries(readWidths())) {
    if (Number.isFinite(width)) root.style.setProperty("--fs-w-" + name, width + "px");
  }
  if (!root.dataset.shell) {
    root.dataset.shell = "1";
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("click", onClick);
    document.addEventListener("pointerdown", onPointerdown);
    document.addEventListener("pointermove", onPointermove);
    document.addEventListener("pointerup", onPointerup);
    document.addEventListener("pointercancel", onPointerup);
    document.addEventListener("dblclick", (event) => {
      if (event.target instanceof Element && event.target.matches(".splitter")) {
        const splitter = event.target;
        root.style.removeProperty("--fs-w-" + paneOf(splitter).name);
        paneOf(splitter).pane.style.width = "";
        resize(splitter, paneOf(splitter).pane.offsetWidth, true);
      }
    });
    // A menu closes when focus leaves it.
    document.addEventListener("focusout", (event) => {
      const menu = event.target instanceof Element && event.target.closest("details.menu");
      if (menu && !menu.contains(event.relatedTarget)) closeMenu(menu, false);
    });
    // Focus goes back to what had it before a dialog opened (the main pane when that is gone).
    // A splitter says its pane's drawn width when it gets focus.
    document.addEventListener("focusin", (event) => {
      const target = event.target;
      if (!(target instanceof Element)) return;
      if (target.matches(".splitter")) target.setAttribute("aria-valuenow", paneOf(target).pane?.offsetWidth ?? 0);
      const dialog = target.closest("dialog");
      if (dialog && !dialog.contains(event.relatedTarget)) dialog.fsOpener ??= event.relatedTarget;
    });
    document.addEventListener(
      "close",
      (event) => {
        const dialog = event.target;
        if (!(dialog instanceof HTMLDialogElement)) return;
        let opener = dialog.fsOpener;
        dialog.fsOpener = null;
        // An item of a menu that has closed since: its menu's button.
        opener = opener?.closest("details:not([open])")?.querySelector("summary") ?? opener;
        if (opener?.isConnected) opener.focus();
        const active = document.activeElement;
        if (active === document.body || dialog.contains(active)) document.getElementById("pane-main")?.focus();
      },
      true,
    );
  }
  const first = !storage()?.getItem(VISITED);
  storage()?.setItem(VISITED, "1");
  return first;
}
