/* Zones (热区) drawn on the page's facsimile in the page's admin form.
 *
 * The zone rows of the form (left, top, width, height as fractions of the
 * page) stay what is saved: this script draws each row as a box on the
 * picture and writes back what the editor does to it, so the save goes
 * through the page's write path (articles/epaper/pages.py) as typed values
 * would. Drag a box to move it, its corner to resize it; draw a new one for
 * an article; remove one. Every box is a button for the keyboard: arrow keys
 * move it, Shift with the arrow keys resizes it, Delete removes it.
 * Without the script the rows are typed as before.
 */
(function () {
  "use strict";

  const STEP = 0.005; // a keyboard step: half a percent of the page
  const MIN = 0.01; // the smallest zone a box may shrink to
  const FIELDS = ["left", "top", "width", "height"];

  function round(value) {
    return Math.round(value * 10000) / 10000;
  }

  function clamp(box) {
    box.width = Math.min(Math.max(box.width, MIN), 1);
    box.height = Math.min(Math.max(box.height, MIN), 1);
    box.left = Math.min(Math.max(box.left, 0), 1 - box.width);
    box.top = Math.min(Math.max(box.top, 0), 1 - box.height);
    return box;
  }

  function field(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  function rowsOf(group) {
    return Array.from(group.querySelectorAll(".form-row, .inline-related")).filter(
      (row) => row.id && !row.id.endsWith("-empty") && field(row, "left")
    );
  }

  function articleName(row) {
    const select = field(row, "article");
    if (!select) return "";
    const option = select.options[select.selectedIndex];
    if (option && option.value) return option.textContent.trim();
    const shown = row.querySelector(".field-article p, td.field-article");
    return shown ? shown.textContent.trim() : "";
  }

  function boxOf(row) {
    const box = {};
    for (const name of FIELDS) {
      const value = parseFloat(field(row, name).value);
      if (Number.isNaN(value)) return null;
      box[name] = value;
    }
    return box;
  }

  function write(row, box) {
    for (const name of FIELDS) {
      const input = field(row, name);
      input.value = round(box[name]);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function start(editor) {
    const group = document.getElementById("zones-group");
    const tools = document.querySelector("[data-zone-tools]");
    if (!group || !tools || !group.querySelector('[name$="-left"]')) return; // read only
    const image = editor.querySelector("img");
    const drawn = editor.querySelector(".nr-facsimile__zones");
    if (drawn) drawn.hidden = true; // the boxes below show the same zones, live
    const layer = document.createElement("div");
    layer.className = "nr-zone-layer";
    editor.appendChild(layer);
    const articles = tools.querySelector("[data-zone-article]");
    const drawButton = tools.querySelector("[data-zone-draw]");
    const drawingHelp = tools.querySelector("[data-zone-drawing]");
    const template = group.querySelector('[id$="-empty"] [name$="-article"]');
    if (template) {
      for (const option of template.options) {
        if (option.value) articles.appendChild(option.cloneNode(true));
      }
    }
    tools.hidden = false;
    const boxes = new Map();
    let drawing = false;

    function place(element, box) {
      element.style.left = `${box.left * 100}%`;
      element.style.top = `${box.top * 100}%`;
      element.style.width = `${box.width * 100}%`;
      element.style.height = `${box.height * 100}%`;
    }

    function removed(row) {
      const box = field(row, "DELETE");
      return box ? box.checked : false;
    }

    function label(element, row) {
      const name = articleName(row);
      const suffix = removed(row) ? ` ${editor.dataset.labelRemoved}` : "";
      element.setAttribute("aria-label", `${editor.dataset.labelZone} ${name}${suffix}`);
      element.title = `${name}${suffix}`;
      element.classList.toggle("nr-zonebox--removed", removed(row));
    }

    function draw(row) {
      const box = boxOf(row);
      let element = boxes.get(row);
      if (!box) {
        if (element) element.remove();
        boxes.delete(row);
        return null;
      }
      if (!element) {
        element = document.createElement("div");
        element.className = "nr-zonebox";
        element.tabIndex = 0;
        element.setAttribute("role", "button");
        const handle = document.createElement("span");
        handle.className = "nr-zonebox__handle";
        element.appendChild(handle);
        const name = document.createElement("span");
        name.className = "nr-zonebox__name";
        element.appendChild(name);
        layer.appendChild(element);
        boxes.set(row, element);
        element.addEventListener("pointerdown", (event) => grab(event, row, element));
        element.addEventListener("keydown", (event) => key(event, row, element));
      }
      element.querySelector(".nr-zonebox__name").textContent = articleName(row);
      place(element, box);
      label(element, row);
      return element;
    }

    function point(event) {
      const rect = layer.getBoundingClientRect();
      return {
        x: (event.clientX - rect.left) / rect.width,
        y: (event.clientY - rect.top) / rect.height,
      };
    }

    function grab(event, row, element) {
      if (drawing || removed(row)) return;
      event.preventDefault();
      element.focus();
      const resize = event.target.classList.contains("nr-zonebox__handle");
      const from = point(event);
      const before = boxOf(row);
      element.setPointerCapture(event.pointerId);
      function move(moveEvent) {
        const at = point(moveEvent);
        const box = { ...before };
        if (resize) {
          box.width = before.width + at.x - from.x;
          box.height = before.height + at.y - from.y;
        } else {
          box.left = before.left + at.x - from.x;
          box.top = before.top + at.y - from.y;
        }
        write(row, clamp(box));
        place(element, boxOf(row));
      }
      function stop() {
        element.removeEventListener("pointermove", move);
        element.removeEventListener("pointerup", stop);
        element.removeEventListener("pointercancel", stop);
      }
      element.addEventListener("pointermove", move);
      element.addEventListener("pointerup", stop);
      element.addEventListener("pointercancel", stop);
    }

    function key(event, row, element) {
      const arrows = {
        ArrowLeft: [-STEP, 0],
        ArrowRight: [STEP, 0],
        ArrowUp: [0, -STEP],
        ArrowDown: [0, STEP],
      };
      if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        remove(row);
        return;
      }
      if (!(event.key in arrows) || removed(row)) return;
      event.preventDefault();
      const [dx, dy] = arrows[event.key];
      const box = boxOf(row);
      if (event.shiftKey) {
        box.width += dx;
        box.height += dy;
      } else {
        box.left += dx;
        box.top += dy;
      }
      write(row, clamp(box));
      place(element, boxOf(row));
    }

    function remove(row) {
      const deletion = field(row, "DELETE");
      if (deletion) {
        // A saved zone: marked, and removed (through the write path) when the page is saved.
        deletion.checked = !deletion.checked;
        label(boxes.get(row), row);
        return;
      }
      // A zone drawn now and not saved yet: its row is emptied, so nothing is saved.
      for (const name of [...FIELDS, "article"]) field(row, name).value = "";
      draw(row);
      drawButton.focus();
    }

    function newRow() {
      const before = new Set(rowsOf(group));
      const add = group.querySelector(".add-row a");
      if (!add) return null;
      add.click();
      const row = rowsOf(group).find((candidate) => !before.has(candidate));
      if (row) {
        field(row, "article").value = articles.value;
        field(row, "article").dispatchEvent(new Event("change", { bubbles: true }));
      }
      return row;
    }

    function create(box) {
      const row = newRow();
      if (!row) return;
      write(row, clamp(box));
      const element = draw(row);
      if (element) element.focus();
    }

    function stopDrawing() {
      drawing = false;
      drawingHelp.hidden = true;
      layer.classList.remove("nr-zone-layer--drawing");
      drawButton.setAttribute("aria-pressed", "false");
    }

    drawButton.setAttribute("aria-pressed", "false");
    drawButton.addEventListener("click", (event) => {
      if (!articles.value) return;
      if (event.detail === 0) {
        // From the keyboard: a box in the middle of the page, to move with the arrow keys.
        create({ left: 0.4, top: 0.4, width: 0.2, height: 0.15 });
        return;
      }
      drawing = !drawing;
      drawingHelp.hidden = !drawing;
      layer.classList.toggle("nr-zone-layer--drawing", drawing);
      drawButton.setAttribute("aria-pressed", String(drawing));
    });

    layer.addEventListener("pointerdown", (event) => {
      if (!drawing || event.target !== layer) return;
      event.preventDefault();
      const from = point(event);
      const sketch = document.createElement("div");
      sketch.className = "nr-zonebox nr-zonebox--sketch";
      layer.appendChild(sketch);
      layer.setPointerCapture(event.pointerId);
      let box = { left: from.x, top: from.y, width: 0, height: 0 };
      function move(moveEvent) {
        const at = point(moveEvent);
        box = {
          left: Math.min(from.x, at.x),
          top: Math.min(from.y, at.y),
          width: Math.abs(at.x - from.x),
          height: Math.abs(at.y - from.y),
        };
        place(sketch, box);
      }
      function stop() {
        layer.removeEventListener("pointermove", move);
        layer.removeEventListener("pointerup", stop);
        sketch.remove();
        stopDrawing();
        if (box.width >= MIN && box.height >= MIN) create(box);
      }
      layer.addEventListener("pointermove", move);
      layer.addEventListener("pointerup", stop);
    });

    // Typed values (and Django's own add and delete of rows) show on the picture at once.
    group.addEventListener("input", (event) => {
      const row = event.target.closest(".form-row, .inline-related");
      if (row && boxes.has(row)) draw(row);
    });
    group.addEventListener("change", (event) => {
      const row = event.target.closest(".form-row, .inline-related");
      if (row) draw(row);
    });
    if (image.complete) rowsOf(group).forEach(draw);
    else image.addEventListener("load", () => rowsOf(group).forEach(draw));
  }

  function ready() {
    document.querySelectorAll("[data-zone-editor]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
