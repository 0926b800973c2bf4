/* The map of sites: Leaflet with clustered markers coloured by status, over the country
 * outlines shipped with Lifeline (Natural Earth via world-atlas), and tiles only when the
 * operator configured a tile server. Data comes from /api/v1/sites/map for the viewport and
 * the filters; names are always set as text, never as HTML. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !window.topojson) { return; }

  var COLOURS = {
    suspected: "#d4a106", active: "#c0392b", raided: "#2e6fd8", abandoned: "#95a5a6",
    closed: "#4d5656", reopened: "#e67e22", relocated: "#8e44ad", "": "#bdc3c7"
  };
  var data = el.dataset;
  var form = document.getElementById("map-filters");
  var counter = document.getElementById("map-count");

  var map = L.map(el, { worldCopyJump: true, minZoom: 2, maxZoom: 18 }).setView([15, 102], 5);
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 18 }).addTo(map);
  }
  map.attributionControl.addAttribution("Natural Earth");

  fetch(data.outlines, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (topo) {
      var countries = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#8a9aa9", weight: 1, fillColor: "#f6f3ea", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    });

  var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
  map.addLayer(clusters);

  function siteUrl(uid) {
    return data.siteUrl.replace("00000000-0000-0000-0000-000000000000", uid);
  }

  function popup(site) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var name = document.createElement("strong");
    name.textContent = site.name;
    box.appendChild(name);
    var line = document.createElement("span");
    line.textContent = (site.status || "—") + " · " + site.country;
    box.appendChild(line);
    [[site.people, data.labelPeople], [site.active_cases, data.labelCases], [site.requests, data.labelRequests]].forEach(function (pair) {
      // null: one or two, withheld from members who may not see persons.
      if (pair[0] === 0) { return; }
      var count = document.createElement("span");
      count.className = "map-count";
      count.textContent = (pair[0] === null ? data.labelFew : String(pair[0])) + " " + pair[1];
      box.appendChild(document.createElement("br"));
      box.appendChild(count);
    });
    box.appendChild(document.createElement("br"));
    var link = document.createElement("a");
    link.href = siteUrl(site.uid);
    link.textContent = data.labelOpen;
    box.appendChild(link);
    return box;
  }

  function query() {
    var bounds = map.getBounds();
    var params = new URLSearchParams();
    params.set("west", Math.max(-180, bounds.getWest()).toFixed(4));
    params.set("east", Math.min(180, bounds.getEast()).toFixed(4));
    params.set("south", Math.max(-90, bounds.getSouth()).toFixed(4));
    params.set("north", Math.min(90, bounds.getNorth()).toFixed(4));
    if (bounds.getEast() - bounds.getWest() >= 360) { params.set("west", "-180"); params.set("east", "180"); }
    new FormData(form).forEach(function (value, key) { if (value) { params.append(key, value); } });
    return params;
  }

  var pending = null;
  function load() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(data.api + "?" + query().toString(), { credentials: "same-origin", signal: pending.signal })
      .then(function (response) { return response.ok ? response.json() : { sites: [], count: 0 }; })
      .then(function (body) {
        clusters.clearLayers();
        var markers = body.sites.map(function (site) {
          var marker = L.circleMarker([site.lat, site.lon], {
            radius: 8, weight: 2, color: "#222", fillOpacity: 0.9,
            fillColor: COLOURS[site.status] || COLOURS[""],
            className: "site-marker site-marker-" + (site.status || "none")
          });
          marker.bindPopup(popup(site));
          marker.bindTooltip(site.name);
          return marker;
        });
        clusters.addLayers(markers);
        counter.textContent = body.count + " " + data.labelCount +
          (body.truncated ? " (" + data.labelTruncated + ")" : "");
        el.dataset.loaded = String(body.count);
      })
      .catch(function (error) { if (error.name !== "AbortError") { counter.textContent = "!"; } });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  form.addEventListener("change", load);
  map.on("moveend", load);
  load();
}());
