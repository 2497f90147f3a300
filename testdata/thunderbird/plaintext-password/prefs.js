// Mozilla User Preferences

user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "emilyparker@icloud.com");
user_pref("mail.server.server1.hostname", "imap.mail.me.com");
user_pref("mail.server.server1.password", "hunter2-imap");
user_pref("mail.server.server1.port", 993);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "emilyparker");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.mail.me.com");
user_pref("mail.smtpserver.smtp1.password", "hunter2 \"smtp\"");
user_pref("mail.smtpserver.smtp1.port", 587);
user_pref("mail.smtpserver.smtp1.try_ssl", 2);
user_pref("mail.smtpserver.smtp1.username", "emilyparker@icloud.com");
user_pref("mail.smtpservers", "smtp1");
