(function () {
  "use strict";
  document.documentElement.className = "js";
  var exit = document.querySelector("a.exit");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      // replace(): the back button does not lead back to this page.
      window.location.replace(exit.href);
    });
  }
  var share = document.getElementById("id_share_position");
  if (share && navigator.geolocation) {
    share.addEventListener("change", function () {
      if (!share.checked) {
        document.getElementById("id_latitude").value = "";
        document.getElementById("id_longitude").value = "";
        return;
      }
      navigator.geolocation.getCurrentPosition(function (where) {
        document.getElementById("id_latitude").value = where.coords.latitude.toFixed(5);
        document.getElementById("id_longitude").value = where.coords.longitude.toFixed(5);
      }, function () { share.checked = false; }, { timeout: 20000, maximumAge: 600000 });
    });
  }
})();
