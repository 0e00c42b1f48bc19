/* The choice of two countries, and their institutions beside each actor.
 *
 * The choice ("I work in", "the person comes from", and whether that is the country of
 * origin or of transit) is kept in this browser's localStorage only: it is not case data and
 * is never sent anywhere. A country's data is a small script beside the site
 * (case/countries/CC.js, made by trmgen/web/countries.py) that calls trmgenCountry(data);
 * scripts load from file:// too, so the offline copies work the same. Everything is written
 * into the page as text: the data holds no HTML. Without this script every page still shows
 * every step, and links to each country's contacts.
 */
(function () {
  "use strict";

  var KEY = "trmgen.countries";
  var data = {};
  var waiting = {};

  window.trmgenCountry = function (country) {
    data[country.code] = country;
    (waiting[country.code] || []).forEach(function (done) { done(country); });
    delete waiting[country.code];
  };

  function load(root, code) {
    return new Promise(function (resolve) {
      if (!code) { resolve(null); return; }
      if (data[code]) { resolve(data[code]); return; }
      var first = !waiting[code];
      (waiting[code] = waiting[code] || []).push(resolve);
      if (!first) { return; }
      var script = document.createElement("script");
      script.src = root + "case/countries/" + code.toLowerCase() + ".js";
      script.onerror = function () { delete waiting[code]; resolve(null); };
      document.head.appendChild(script);
    });
  }

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  }

  function keep(choice) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(choice));
    } catch (error) { /* private windows may refuse: the choice then lasts for this page */ }
  }

  /* The choice: from the address (?here=BG&from=RO&relation=origin, or the same after #)
     when it names one, so that a view can be bookmarked or shared, else from this browser.
     What the address does not name is kept from this browser. With no country of work
     either way, the device's time zone suggests one (zones: each zone's country); the
     choice then says it is a guess, and this browser keeps it only once the reader chooses. */
  function current(zones) {
    var choice = stored();
    [window.location.search.slice(1), window.location.hash.slice(1)].forEach(function (part) {
      var asked = new URLSearchParams(part);
      ["here", "from", "relation"].forEach(function (name) {
        if (asked.get(name)) { choice[name] = asked.get(name); }
      });
    });
    choice.relation = choice.relation === "transit" ? "transit" : "origin";
    if (!choice.here) {
      var zone = "";
      try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { /* none */ }
      if (Object.prototype.hasOwnProperty.call(zones, zone)) {
        choice.here = zones[zone];
        choice.guessed = true;
      }
    }
    return choice;
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function number(line) {
    var attributes = {dir: "ltr"};
    if (line.tel) {
      attributes.href = line.tel;
      return element("a", line.number, attributes);
    }
    attributes["class"] = "trm-sample-number";
    return element("bdi", line.number, attributes);
  }

  function phoneLine(line) {
    var item = element("span", "", {"class": "trm-reach-phone"});
    item.appendChild(number(line));
    var about = [line.label, line.open].filter(Boolean).join(" · ");
    if (about) { item.appendChild(document.createTextNode(" · " + about)); }
    return item;
  }

  /* The institutions of a country that serve an actor, with the numbers to use. */
  function reach(root, country, actor, texts) {
    var box = element("span", "", {"class": "trm-reach-list"});
    var found = country.actors[actor] || [];
    if (!found.length) {
      box.appendChild(element("span", country.name + ": " + texts.none, {"class": "trm-reach-none"}));
    }
    found.forEach(function (entry) {
      var institution = country.institutions[entry[0]];
      var item = element("span", "", {"class": "trm-reach-item"});
      item.appendChild(element("span", country.name + ": ", {"class": "trm-reach-country"}));
      item.appendChild(element("a", institution.name, {href: root + institution.link}));
      entry[1].slice(0, 2).forEach(function (index) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(phoneLine(institution.phones[index]));
      });
      if (institution.languages) {
        item.appendChild(element("span", texts.languages.replace("%(languages)s",
          institution.languages), {"class": "trm-reach-languages"}));
      }
      box.appendChild(item);
    });
    return box;
  }

  function countryOf(side, countries, choice) {
    if (!side || side === "found") { return countries.here; }
    return side === choice.relation ? countries.from : null;
  }

  /* The view's list of whom to call in each SOP (printed in the pair sheet): each actor of
     its measures on each side, once. */
  function whomToCall() {
    document.querySelectorAll("[data-trm-contacts]").forEach(function (box) {
      if (box.querySelector("ul")) { return; }
      var list = element("ul");
      var seen = {};
      box.parentNode.querySelectorAll(".trm-pair-measure li[data-actor]").forEach(function (item) {
        var key = item.getAttribute("data-actor") + " " + (item.getAttribute("data-side") || "");
        if (seen[key]) { return; }
        seen[key] = true;
        var name = item.cloneNode(true);
        name.querySelectorAll(".trm-lead, .trm-reach").forEach(function (n) { n.remove(); });
        var entry = element("li");
        ["data-actor", "data-side"].forEach(function (attribute) {
          if (item.hasAttribute(attribute)) {
            entry.setAttribute(attribute, item.getAttribute(attribute));
          }
        });
        entry.appendChild(element("span", name.textContent.trim(),
                                  {"class": "trm-pair-contact-actor"}));
        list.appendChild(entry);
      });
      box.appendChild(list);
    });
  }

  function fill(root, choice, countries, texts) {
    whomToCall();
    document.querySelectorAll(".trm-pair-side[data-side] > .trm-pair-where").forEach(function (where) {
      var country = countryOf(where.parentNode.getAttribute("data-side"), countries, choice);
      var named = where.querySelector(".trm-pair-country") ||
        where.appendChild(element("span", "", {"class": "trm-pair-country"}));
      named.textContent = country ? " (" + country.name + ")" : "";
    });
    document.querySelectorAll("li[data-actor]").forEach(function (item) {
      var slot = item.querySelector(":scope > .trm-reach");
      if (!slot) {
        slot = element("span", "", {"class": "trm-reach"});
        item.appendChild(slot);
      }
      slot.textContent = "";
      var country = countryOf(item.getAttribute("data-side"), countries, choice);
      if (country) { slot.appendChild(reach(root, country, item.getAttribute("data-actor"), texts)); }
    });
    document.querySelectorAll("[data-trm-country]").forEach(function (slot) {
      var country = countryOf(slot.getAttribute("data-trm-country"), countries, choice);
      slot.textContent = country ? " (" + country.name + ")" : "";
    });
    document.querySelectorAll(".trm-pair-side[data-side]").forEach(function (block) {
      var side = block.getAttribute("data-side");
      block.hidden = side !== "found" && side !== choice.relation;
    });
    summary(root, countries);
    firstHour(root, countries.here);
    prefill(countries);
    variants([countries.here, countries.from], texts);
    pairAdoption([countries.here, countries.from], texts);
  }

  function adoptionStatus(status, texts) {
    return element("span", texts.statuses[status], {"class": "trm-ad trm-ad-" + status});
  }

  function countryTitle(country, texts) {
    return texts.national.replace("%(country)s", country.name) +
      (country.sample ? " (" + texts.sample + ")" : "");
  }

  /* On a measure's page, beside its steps: how each chosen country does it differently. */
  function variants(chosen, texts) {
    document.querySelectorAll("[data-trm-variants]").forEach(function (box) {
      var id = box.getAttribute("data-trm-variants");
      box.textContent = "";
      chosen.filter(Boolean).forEach(function (country) {
        var taken = country.adoption[id];
        if (!taken || !(taken.steps || taken.note || taken.lead)) { return; }
        var title = element("p", "", {"class": "trm-variants-title"});
        title.appendChild(element("strong", countryTitle(country, texts) + ": "));
        title.appendChild(adoptionStatus(taken.status, texts));
        box.appendChild(title);
        var list = element("ul");
        (taken.steps || []).forEach(function (step) {
          list.appendChild(element("li", (step[0] ? texts.replaces.replace(
            "%(number)s", step[0]) : texts.added) + " " + step[1]));
        });
        if (taken.lead) { list.appendChild(element("li", texts.lead.replace("%(name)s", taken.lead))); }
        if (taken.note) { list.appendChild(element("li", taken.note)); }
        box.appendChild(list);
      });
      box.hidden = !box.firstChild;
    });
  }

  /* In the view of two countries: both countries' status for each measure. */
  function pairAdoption(chosen, texts) {
    document.querySelectorAll("[data-trm-adoption]").forEach(function (line) {
      var id = line.getAttribute("data-trm-adoption");
      line.textContent = "";
      chosen.filter(Boolean).forEach(function (country) {
        line.appendChild(document.createTextNode(
          (line.firstChild ? " · " : texts.adoption + ": ") + country.name +
          (country.sample ? " (" + texts.sampleShort + ")" : "") + " "));
        line.appendChild(adoptionStatus((country.adoption[id] || {status: "unknown"}).status,
                                        texts));
      });
      line.hidden = !line.firstChild;
    });
  }

  /* The referral form: a button to print it or save it as a PDF, and a warning before the
     page is left with something typed in it (nothing is stored: leaving loses it). */
  function referralForm(button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
    window.addEventListener("beforeunload", function (event) {
      var typed = Array.prototype.some.call(
        document.querySelectorAll(".trm-form input, .trm-form textarea"), function (field) {
          return field.type === "radio" || field.type === "checkbox" ? field.checked
            : field.value !== "" && field.value !== field.getAttribute("data-trm-filled");
        });
      if (typed) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  /* The adoption matrix: rows of one SOP, rows where some country has one status. */
  function filters(form) {
    var count = form.querySelector("[data-trm-ad-count]");
    var rows = document.querySelectorAll("tr[data-trm-ad-row]");
    function apply() {
      var sop = form.elements.sop.value;
      var status = form.elements.status.value;
      var shown = 0;
      rows.forEach(function (row) {
        var match = (!sop || row.parentNode.getAttribute("data-sop") === sop) &&
          (!status || row.querySelector("td.trm-ad-" + status));
        row.hidden = !match;
        row.querySelectorAll("td").forEach(function (cell) {
          cell.classList.toggle("trm-ad-dim", !!status && !cell.classList.contains("trm-ad-" + status));
        });
        if (match) { shown += 1; }
      });
      document.querySelectorAll("tbody[data-sop]").forEach(function (group) {
        group.hidden = !group.querySelector("tr[data-trm-ad-row]:not([hidden])");
      });
      count.textContent = count.getAttribute("data-text").replace("%(shown)s", shown)
        .replace("%(all)s", rows.length);
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  /* The first-hour card: the numbers answered day and night where the reader works. */
  function firstHour(root, here) {
    var box = document.querySelector("[data-trm-first]");
    if (!box) { return; }
    var list = box.querySelector("[data-trm-first-calls]");
    list.textContent = "";
    box.hidden = !here;
    if (here) { alwaysOpen(root, here, list); }
  }

  /* A country's lines answered day and night, each with its institution, as list items. */
  function alwaysOpen(root, country, list) {
    country.institutions.forEach(function (institution) {
      institution.phones.filter(function (line) { return line.always; }).forEach(function (line) {
        var item = element("li");
        item.appendChild(phoneLine(line));
        item.appendChild(document.createTextNode(" · "));
        item.appendChild(element("a", institution.name, {href: root + institution.link}));
        list.appendChild(item);
      });
    });
  }

  /* The referral form's fields for the focal points, filled in until the reader types. */
  function prefill(countries) {
    document.querySelectorAll("[data-trm-prefill]").forEach(function (field) {
      var which = field.getAttribute("data-trm-prefill").split("-");
      var country = which[0] === "here" ? countries.here : countries.from;
      var filled = field.getAttribute("data-trm-filled");
      if (field.value && field.value !== filled) { return; }
      var value = "";
      if (country && country.focal !== null) {
        var institution = country.institutions[country.focal];
        value = which[1] === "organisation"
          ? institution.name + ", " + country.name
          : [institution.unit, institution.phones.length ? institution.phones[0].number : "",
             institution.emails[0] || ""].filter(Boolean).join("\n");
      }
      field.value = value;
      field.setAttribute("data-trm-filled", value);
    });
  }

  function summary(root, countries) {
    var box = document.querySelector("[data-trm-summary]");
    if (!box) { return; }
    var both = [countries.here, countries.from].filter(Boolean);
    box.hidden = !both.length;
    var calls = box.querySelector("[data-trm-calls]");
    var nrms = box.querySelector("[data-trm-nrms]");
    calls.textContent = "";
    nrms.textContent = "";
    both.forEach(function (country) {
      var list = element("ul", "", {"class": "trm-pair-call-list"});
      alwaysOpen(root, country, list);
      calls.appendChild(element("h3", country.name));
      calls.appendChild(list);
      var nrm = element("p");
      nrm.appendChild(element("strong", country.name + ": "));
      nrm.appendChild(element("a", country.nrm.name, {href: root + country.page}));
      if (country.nrm.basis) { nrm.appendChild(document.createTextNode(" " + country.nrm.basis)); }
      nrms.appendChild(nrm);
    });
    var languages = box.querySelector("[data-trm-languages]");
    languages.textContent = "";
    if (both.length === 2) {
      var common = Object.keys(both[0].languages).filter(function (code) {
        return code in both[1].languages;
      }).map(function (code) { return both[0].languages[code]; });
      languages.textContent = common.length
        ? box.getAttribute("data-text-common").replace("%(languages)s", common.join(", "))
        : box.getAttribute("data-text-nolanguage");
    }
  }

  /* The countries and the texts of the choice, from case/countries/index.js (one file
     for the language). */
  var listed = null;
  var listing = [];
  window.trmgenCountries = function (list) {
    listed = list;
    listing.forEach(function (done) { done(list); });
  };

  function countryList(root) {
    return new Promise(function (resolve) {
      if (listed) { resolve(listed); return; }
      listing.push(resolve);
      if (listing.length > 1) { return; }
      var script = document.createElement("script");
      script.src = root + "case/countries/index.js";
      script.onerror = function () { resolve(null); };
      document.head.appendChild(script);
    });
  }

  function show(form) {
    var root = form.getAttribute("data-root");
    countryList(root).then(function (list) {
      if (list) { choose(form, root, list, list.texts); }
    });
  }

  /* The choice: two countries and whether the second is of origin or of transit. */
  function build(form, countries, texts) {
    form.setAttribute("role", "group");
    form.setAttribute("aria-label", texts.group);
    function select(name, label, options) {
      var field = element("label", label + " ");
      var list = element("select", "", {name: name});
      options.forEach(function (option) {
        list.appendChild(element("option", option[1], {value: option[0]}));
      });
      field.appendChild(list);
      form.appendChild(field);
    }
    var none = [["", texts.choose]];
    select("here", texts.here, none.concat(countries));
    select("from", texts.from, none.concat(countries));
    select("relation", texts.relation, [["origin", texts.origin], ["transit", texts.transit]]);
    var view = form.getAttribute("data-case");
    if (view) {
      form.appendChild(element("a", texts.open, {"class": "md-button md-button--primary",
                                                 href: view}));
      var straight = element("p", texts.straight + " ", {"class": "trm-choice-sops"});
      texts.sops.forEach(function (sop, index) {
        if (index) { straight.appendChild(document.createTextNode(" · ")); }
        straight.appendChild(element("a", sop[1], {href: view + "#" + sop[0]}));
      });
      form.appendChild(straight);
    }
    form.appendChild(element("p", texts.note, {"class": "trm-choice-note"}));
  }

  function choose(form, root, list, texts) {
    build(form, list.countries, texts);
    var choice = current(list.zones);
    var guess = null;
    if (choice.guessed) {
      guess = element("p", texts.guessed, {"class": "trm-choice-guess", id: "trm-choice-guess"});
      form.insertBefore(guess, form.querySelector("select[name=relation]").parentNode.nextSibling);
      form.querySelector("select[name=here]").setAttribute("aria-describedby", guess.id);
    } else {
      keep(choice);
    }
    ["here", "from", "relation"].forEach(function (name) {
      var select = form.querySelector("select[name=" + name + "]");
      if (choice[name]) { select.value = choice[name]; }
      select.addEventListener("change", function () {
        choice[name] = select.value;
        if (guess) {
          delete choice.guessed;
          form.querySelector("select[name=here]").removeAttribute("aria-describedby");
          guess.remove();
          guess = null;
        }
        keep(choice);
        if (/(here|from|relation)=/.test(window.location.search + window.location.hash)) {
          window.history.replaceState(null, "", window.location.pathname);
        }
        update();
      });
    });
    form.hidden = false;

    function update() {
      Promise.all([load(root, choice.here), load(root, choice.from)]).then(function (found) {
        fill(root, choice, {here: found[0], from: found[1]}, texts);
      });
    }
    update();
  }

  var form = document.querySelector("[data-trm-choice]");
  if (form) { show(form); }
  var matrix = document.querySelector("[data-trm-ad-filters]");
  if (matrix) { filters(matrix); }
  var print = document.querySelector("[data-trm-print]");
  if (print) { referralForm(print); }

  /* The language switcher keeps the section being read: the sections' ids are the same in
     every language. */
  document.querySelectorAll(".md-select__item a[hreflang]").forEach(function (link) {
    link.addEventListener("click", function () {
      link.href = link.href.split("#")[0] + window.location.hash;
    });
  });
})();
