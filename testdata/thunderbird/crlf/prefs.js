// Mozilla User Preferences

/* Copied from a Windows machine: CRLF line ends. */

user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "ana@fastmail.com");
user_pref("mail.server.server1.hostname", "imap.fastmail.com");
user_pref("mail.server.server1.port", 143);
user_pref("mail.server.server1.socketType", 2);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "ana@fastmail.com");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.fastmail.com");
user_pref("mail.smtpserver.smtp1.port", 465);
user_pref("mail.smtpserver.smtp1.username", "ana@fastmail.com");
user_pref("mail.smtpservers", "smtp1");
