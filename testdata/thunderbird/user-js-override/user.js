// user.js: applied over prefs.js at every start. Kept in my dotfiles.

// Outgoing server: an old blog post said to use these.
user_pref("mail.smtpserver.smtp1.hostname", "smtp.me.com");
user_pref("mail.smtpserver.smtp1.port", 587);

// Incoming server
user_pref("mail.server.server1.hostname", "mail.me.com");
