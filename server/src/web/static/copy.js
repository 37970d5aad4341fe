// Reveals the room page's copy button and copies the join URL (the page works without it).
(function () {
  var button = document.getElementById('copy');
  var status = document.getElementById('copy-status');
  if (!button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(document.getElementById('join-url').textContent).then(
      function () { status.textContent = 'Copied to the clipboard.'; },
      function () { status.textContent = 'Could not copy: select the link instead.'; }
    );
  });
})();
