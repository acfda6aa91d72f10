// After a passkey is registered, reload the sign-in security page so it lists the new passkey
// (and offers backup codes to someone who has none yet).
document.addEventListener("otp_webauthn.register_complete", function () {
  window.location.reload();
});
