// The voucher form's running totals: debits, credits and their difference, updated as each
// amount is typed, so an unbalanced voucher shows before it is submitted. Each amount is rounded
// to fen and the fen are added as integers, so no floating-point remainder shows as a difference.
(function () {
  function fen(value) {
    var amount = Number(String(value || "").replace(/[,\s，]/g, ""));
    return isFinite(amount) ? Math.round(amount * 100) : 0;
  }
  function yuan(cents) {
    var sign = cents < 0 ? "-" : "";
    var abs = Math.abs(cents);
    var whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + whole + "." + String(abs % 100 + 100).slice(1);
  }
  function setup() {
    var form = document.querySelector("form.voucher-form");
    var box = form && form.querySelector("[data-voucher-totals]");
    if (!box) return;
    function sum(side) {
      var total = 0;
      form.querySelectorAll("input[name^='" + side + "_']").forEach(function (input) {
        total += fen(input.value);
      });
      return total;
    }
    function update() {
      var debit = sum("debit");
      var credit = sum("credit");
      box.querySelector("[data-total=debit]").textContent = yuan(debit);
      box.querySelector("[data-total=credit]").textContent = yuan(credit);
      box.querySelector("[data-total=difference]").textContent = yuan(debit - credit);
      box.querySelector("[data-balance]").setAttribute(
        "data-balance", debit === credit ? (debit === 0 ? "empty" : "balanced") : "unbalanced"
      );
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    box.hidden = false;
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
