/* Backlog pages: drag-to-reorder (SortableJS), htmx glue, and the acceptance-criteria editor.
 * Everything here is an enhancement: without JavaScript the same forms post and redirect back. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* The CSP forbids style attributes; SortableJS animates through element.style, which is allowed,
   * but htmx would copy those leftovers with setAttribute when it settles a swap. */
  if (window.htmx) {
    window.htmx.config.attributesToSettle = window.htmx.config.attributesToSettle.filter(function (name) {
      return name !== "style";
    });
  }

  function dropLeftoverStyles(root) {
    root.querySelectorAll("[style]").forEach(function (el) { el.removeAttribute("style"); });
  }

  var lastMoveByKeyboard = false;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function backlogRows(list) {
    return list.querySelectorAll(".backlog-row");
  }

  function sibling(el, direction) {
    var next = el[direction];
    while (next && !next.classList.contains("backlog-row")) next = next[direction];
    return next;
  }

  /* --- Drag to reorder ------------------------------------------------------------------------ */

  function moved(evt) {
    dropLeftoverStyles(evt.from);
    if (evt.oldDraggableIndex === evt.newDraggableIndex) return;
    var row = evt.item;
    var above = sibling(row, "previousElementSibling");
    var below = sibling(row, "nextElementSibling");
    var values = above ? { after: above.dataset.key } : { before: below ? below.dataset.key : "" };
    values.shown = backlogRows(evt.from).length;
    lastMoveByKeyboard = false;
    if (window.htmx) {
      window.htmx.ajax("POST", row.dataset.moveUrl, {
        target: "#backlog-list", swap: "outerHTML", values: values,
        headers: { "X-CSRFToken": csrfToken() },
      });
      return;
    }
    var body = new URLSearchParams(values);
    fetch(row.dataset.moveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function () { window.location.reload(); });
  }

  function initSortable(root) {
    if (!window.Sortable) return;
    var lists = root.matches && root.matches("#backlog-rows") ? [root] : root.querySelectorAll("#backlog-rows");
    Array.prototype.forEach.call(lists, function (list) {
      if (list.dataset.rankable !== "true" || list.dataset.sortable) return;
      list.dataset.sortable = "on";
      window.Sortable.create(list, {
        handle: ".handle", draggable: ".backlog-row", animation: 150,
        ghostClass: "sortable-ghost", chosenClass: "sortable-chosen", onEnd: moved,
      });
    });
  }

  /* After a move the list comes back re-rendered: keep the keyboard where it was. */
  function refocusMovedRow(root) {
    var list = root.querySelector && root.querySelector("#backlog-rows[data-moved-key]");
    if (!list) return;
    var row = document.getElementById("row-" + list.dataset.movedKey);
    if (!row) return;
    row.classList.add("just-moved");
    if (lastMoveByKeyboard) {
      var target = row.querySelector(".row-move summary") || row.querySelector("a");
      if (target) target.focus();
      row.scrollIntoView({ block: "center" });
    }
  }

  /* --- htmx glue -------------------------------------------------------------------------------- */

  document.addEventListener("htmx:configRequest", function (evt) {
    var elt = evt.detail.elt;
    if (elt.closest && elt.closest(".move-panel")) {
      lastMoveByKeyboard = true;
      var list = document.getElementById("backlog-rows");
      if (list) evt.detail.parameters.shown = backlogRows(list).length;
    }
    if (elt.matches && elt.matches("form.filters") && evt.detail.verb === "get") {
      // Keep the address bar readable: drop empty filters.
      var params = evt.detail.parameters;
      var names = params instanceof FormData ? Array.from(params.keys()) : Object.keys(params);
      names.forEach(function (name) {
        var value = params instanceof FormData ? params.get(name) : params[name];
        if (value === "" || value === null) {
          if (params instanceof FormData) params.delete(name); else delete params[name];
        }
      });
    }
  });

  /* Error fragments (a stale version, an unknown neighbour, a too-short title) carry 4xx statuses:
   * show them in place rather than dropping them. */
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var list = document.getElementById("backlog-rows");
    if (list) dropLeftoverStyles(list);
    var status = evt.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409 || status === 422) {
      var target = evt.detail.target;
      if (target && target.closest && target.closest("#backlog-list, #subtasks, #comments, .backlog-row")) {
        if (status === 403) {
          window.alert(evt.detail.xhr.responseText.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()
            || "Your role may not do this.");
          return;
        }
        evt.detail.shouldSwap = true;
        evt.detail.isError = false;
      }
    }
  });

  document.addEventListener("htmx:beforeHistorySave", function () { dropLeftoverStyles(document.body); });

  /* --- Move menus ------------------------------------------------------------------------------- */

  document.addEventListener("toggle", function (evt) {
    var opened = evt.target;
    if (!opened.classList || !opened.classList.contains("row-move") || !opened.open) return;
    document.querySelectorAll("details.row-move[open]").forEach(function (other) {
      if (other !== opened) other.open = false;
    });
    var input = opened.querySelector("input[name=position]");
    if (input) input.select();
  }, true);

  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape") return;
    var open = document.querySelector("details.row-move[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });

  /* --- Acceptance criteria editor ----------------------------------------------------------------- */

  function renumber(list) {
    Array.prototype.forEach.call(list.children, function (row, i) {
      var n = i + 1;
      var input = row.querySelector("input");
      var label = row.querySelector("label");
      input.id = "criterion-" + n;
      label.setAttribute("for", input.id);
      label.textContent = "Criterion " + n;
      row.querySelectorAll("button[data-action]").forEach(function (button) {
        var action = button.dataset.action;
        button.value = action + ":" + i;
        var words = { up: "Move criterion " + n + " up", down: "Move criterion " + n + " down",
          remove: "Remove criterion " + n };
        button.setAttribute("aria-label", words[action]);
      });
    });
  }

  function freshRow(list) {
    var row = list.lastElementChild.cloneNode(true);
    row.querySelector("input").value = "";
    return row;
  }

  function initCriteria(root) {
    var editors = root.querySelectorAll ? root.querySelectorAll("[data-criteria-editor]") : [];
    Array.prototype.forEach.call(editors, function (editor) {
      if (editor.dataset.ready) return;
      editor.dataset.ready = "on";
      var list = editor.querySelector(".criteria-inputs");

      editor.addEventListener("click", function (evt) {
        var button = evt.target.closest("button[data-action]");
        if (!button) return;
        evt.preventDefault();
        var row = button.closest(".criterion-row");
        var action = button.dataset.action;
        if (action === "add") {
          var added = freshRow(list);
          list.appendChild(added);
          renumber(list);
          added.querySelector("input").focus();
          return;
        }
        if (action === "up" && row.previousElementSibling) {
          list.insertBefore(row, row.previousElementSibling);
        } else if (action === "down" && row.nextElementSibling) {
          list.insertBefore(row.nextElementSibling, row);
        } else if (action === "remove") {
          var neighbour = row.nextElementSibling || row.previousElementSibling;
          if (neighbour) {
            row.remove();
            renumber(list);
            neighbour.querySelector("input").focus();
          } else {
            row.querySelector("input").value = "";
            row.querySelector("input").focus();
          }
          return;
        }
        renumber(list);
        button.focus();
      });

      /* Enter in a criterion starts the next one instead of submitting the form. */
      editor.addEventListener("keydown", function (evt) {
        if (evt.key !== "Enter" || !evt.target.matches("input[name=criteria]")) return;
        evt.preventDefault();
        var row = evt.target.closest(".criterion-row");
        var next = row.nextElementSibling;
        if (!next || next.querySelector("input").value) {
          next = freshRow(list);
          row.after(next);
          renumber(list);
        }
        next.querySelector("input").focus();
      });
    });
  }

  function init(root) {
    initSortable(root);
    initCriteria(root);
    refocusMovedRow(root);
  }

  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  }
})();
