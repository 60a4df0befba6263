// shirube serve: a copy button on every code block. Pages work without it.
document.querySelectorAll("pre > code").forEach(function (code) {
  var button = document.createElement("button");
  button.className = "copy";
  button.type = "button";
  button.textContent = "copy";
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(code.textContent).then(function () {
      button.textContent = "copied";
    });
  });
  code.parentNode.appendChild(button);
});
