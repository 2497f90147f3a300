package mutt

// Variable and command names accepted by mutt 2.2.12 and neomutt 20220429,
// synonyms included, with their types. They were read from the programs
// themselves (mutt -D / neomutt -D, and probing every name found in the
// binaries with -Q), plus a few variables and commands of newer neomutt
// releases. Names are case-sensitive.

// boolVars are booleans: set, unset, toggle, or =yes/=no.
var boolVars = words(`
abort_backspace allow_8bit allow_ansi arrow_cursor ascii_chars ask_bcc
ask_cc ask_follow_up ask_x_comment_to askbcc askcc
attach_save_without_prompting attach_split auto_edit auto_subscribe auto_tag
autocrypt autocrypt_reply autoedit background_confirm_quit background_edit
beep beep_new bounce_delivered braille_friendly browser_abbreviate_mailboxes
browser_sticky_cursor change_folder_next check_mbox_size check_new
collapse_all collapse_flagged collapse_unread compose_confirm_detach_first
compose_show_user_headers confirm_append confirm_create confirmappend
confirmcreate copy_decode_weed count_alternatives crypt_auto_encrypt
crypt_auto_pgp crypt_auto_sign crypt_auto_smime crypt_autoencrypt
crypt_autopgp crypt_autosign crypt_autosmime crypt_confirm_hook
crypt_confirmhook crypt_opportunistic_encrypt
crypt_opportunistic_encrypt_strong_keys crypt_protected_headers_read
crypt_protected_headers_save crypt_protected_headers_write
crypt_reply_encrypt crypt_reply_sign crypt_reply_sign_encrypted
crypt_replyencrypt crypt_replysign crypt_replysignencrypted crypt_timestamp
crypt_use_gpgme crypt_use_pka cursor_overlay delete_untag digest_collapse
duplicate_threads edit_hdrs edit_headers encode_from envelope_from
fast_reply fcc_before_send fcc_clear flag_safe followup_to force_name
forw_decode forw_quote forward_decode forward_quote forward_references hdrs
header header_cache_compress header_color_partial help hidden_host
hide_limited hide_missing hide_thread_subject hide_top_limited
hide_top_missing history_remove_dups honor_disposition idn_decode idn_encode
ignore_linear_white_space ignore_list_reply_to imap_check_subscribed
imap_condstore imap_deflate imap_idle imap_list_subscribed imap_passive
imap_peek imap_qresync imap_rfc5161 imap_server_noise imap_servernoise
implicit_autoview include_encrypted include_only_first include_onlyfirst
keep_flagged local_date_header mail_check_recent mail_check_stats
mailcap_sanitize maildir_check_cur maildir_header_cache_verify maildir_trash
mark_old markers me_too menu_move_off menu_scroll message_cache_clean
meta_key metoo mh_purge mime_forward_decode mime_type_query_first
muttlisp_inline_eval narrow_tree nm_query_window_enable nm_record
nntp_listgroup nntp_load_description pager_stop pgp_auto_decode
pgp_auto_inline pgp_auto_traditional pgp_autoencrypt pgp_autoinline
pgp_autosign pgp_check_exit pgp_check_gpg_decrypt_status_fd
pgp_create_traditional pgp_ignore_subkeys pgp_long_ids pgp_reply_inline
pgp_replyencrypt pgp_replyinline pgp_replysign pgp_replysignencrypted
pgp_retainable_sigs pgp_self_encrypt pgp_show_unusable pgp_strict_enc
pgp_use_gpg_agent pipe_decode pipe_decode_weed pipe_split pop_auth_try_all
pop_last postpone_encrypt print_decode print_decode_weed print_split
prompt_after read_only reflow_space_quotes reflow_text reply_self
reply_with_xorig resolve resume_draft_files resume_edited_draft_files
reverse_alias reverse_name reverse_real_name reverse_realname
rfc2047_parameters save_address save_empty save_name save_unsubscribed score
show_new_news show_only_unread sidebar_folder_indent sidebar_new_mail_only
sidebar_next_new_wrap sidebar_non_empty_mailbox_only sidebar_on_right
sidebar_relative_shortpath_indent sidebar_short_path
sidebar_use_mailbox_shortcuts sidebar_visible sig_dashes sig_on_top
size_show_bytes size_show_fractions size_show_mb size_units_on_left
smart_wrap smime_ask_cert_label smime_decrypt_use_default_key
smime_is_default smime_self_encrypt sort_re ssl_force_tls ssl_use_sslv3
ssl_use_tlsv1 ssl_use_tlsv1_1 ssl_use_tlsv1_2 ssl_use_tlsv1_3
ssl_verify_dates ssl_verify_host status_on_top strict_threads suspend
text_flowed thorough_search thread_received tilde ts_enabled
tunnel_is_secure uncollapse_jump uncollapse_new use_8bit_mime use_8bitmime
use_domain use_envelope_from use_from use_ipv6 user_agent virtual_spool_file
virtual_spoolfile wait_key weed wrap_search write_bcc x_comment_to
xterm_set_titles
`)

// quadVars are quadoptions: yes, no, ask-yes or ask-no.
var quadVars = words(`
abort_noattach abort_nosubject abort_unmodified attach_save_charset_convert
bounce catchup_newsgroup copy crypt_verify_sig delete fcc_attach
followup_to_poster forw_decrypt forward_attachments forward_decrypt
forward_edit honor_followup_to include mime_forward mime_forward_rest
mime_fwd move pgp_mime_auto pgp_verify_sig pop_delete pop_reconnect
post_moderated postpone print quit recall reply_to
send_multipart_alternative ssl_starttls
`)

// numberVars are numbers.
var numberVars = words(`
connect_timeout debug_level error_history history imap_fetch_chunk_size
imap_keepalive imap_pipeline_depth imap_poll_timeout mail_check
mail_check_stats_interval menu_context net_inc nm_db_limit nm_open_timeout
nm_query_window_current_position nm_query_window_duration nntp_context
nntp_poll pager_context pager_index_lines pager_read_delay
pager_skip_quoted_context pgp_timeout pop_check_interval pop_checkinterval
read_inc reflow_wrap save_history score_threshold_delete
score_threshold_flag score_threshold_read search_context sendmail_wait
sidebar_component_depth sidebar_width skip_quoted_offset sleep_time
smime_timeout ssl_min_dh_prime_bits time_inc timeout
toggle_quoted_show_levels wrap wrap_headers wrapmargin write_inc
`)

// stringVars take any string (paths, addresses, regexps, sort orders...).
var stringVars = words(`
abort_key abort_noattach_regex abort_noattach_regexp account_command
alias_file alias_format arrow_string assumed_charset attach_charset
attach_format attach_keyword attach_save_dir attach_sep attribution
attribution_locale autocrypt_acct_format autocrypt_dir background_format
browser_sort_dirs_first certificate_file charset color_directcolor
compose_format compose_preview_above_attachments compose_preview_min_rows
compose_show_preview config_charset content_type crypt_chars
crypt_protected_headers_subject date_format debug_file default_hook
devel_security display_filter dotlock_program dsn_notify dsn_return editor
empty_subject envelope_from_address escape external_search_command
fcc_delimiter flag_chars folder folder_format forw_format
forward_attribution_intro forward_attribution_trailer forward_format from
from_chars gecos_mask greeting group_index_format hdr_format header_cache
header_cache_backend hidden_tags history_file hostname imap_authenticators
imap_delim_chars imap_headers imap_login imap_oauth_refresh_command
imap_pass imap_send_id imap_user indent_str indent_string index_format inews
ispell mailcap_path mark_macro_prefix mask mbox mbox_type message_cachedir
message_format message_id_format mh_seq_flagged mh_seq_replied mh_seq_unseen
mime_type_query_command mix_entry_format mixmaster msg_format
new_mail_command news_cache_dir news_server newsgroups_charset newsrc
nm_default_uri nm_default_url nm_exclude_tags nm_flagged_tag nm_query_type
nm_query_window_current_search nm_query_window_or_terms
nm_query_window_timebase nm_record_tags nm_replied_tag nm_unread_tag
nntp_authenticators nntp_pass nntp_user pager pager_format pattern_format
pgp_clear_sign_command pgp_clearsign_command pgp_decode_command
pgp_decrypt_command pgp_decryption_okay pgp_default_key
pgp_encrypt_only_command pgp_encrypt_sign_command pgp_entry_format
pgp_export_command pgp_get_keys_command pgp_getkeys_command pgp_good_sign
pgp_import_command pgp_list_pubring_command pgp_list_secring_command
pgp_self_encrypt_as pgp_sign_as pgp_sign_command pgp_sort_keys
pgp_verify_command pgp_verify_key_command pipe_sep pop_authenticators
pop_host pop_oauth_refresh_command pop_pass pop_user post_indent_str
post_indent_string postpone_encrypt_as postponed preconnect
preferred_languages print_cmd print_command query_command query_format
quote_regex quote_regexp real_name realname record reply_regex reply_regexp
send_charset send_multipart_alternative_filter sendmail shell
show_multipart_alternative sidebar_delim_chars sidebar_divider_char
sidebar_format sidebar_indent_string sidebar_sort_method signature
simple_search smileys smime_ca_location smime_certificates
smime_decrypt_command smime_default_key smime_encrypt_command
smime_encrypt_with smime_get_cert_command smime_get_cert_email_command
smime_get_signer_cert_command smime_import_cert_command smime_keys
smime_pk7out_command smime_self_encrypt_as smime_sign_as smime_sign_command
smime_sign_digest_alg smime_sign_opaque_command smime_verify_command
smime_verify_opaque_command smtp_authenticators smtp_oauth_refresh_command
smtp_pass smtp_url smtp_user sort sort_alias sort_aux sort_browser
sort_browser_mailboxes sort_thread_groups spam_separator spool_file
spoolfile ssl_ca_certificates_file ssl_ciphers ssl_client_cert
ssl_verify_host_override status_chars status_format tmp_draft_dir tmpdir
to_chars trash ts_icon_format ts_status_format tunnel use_threads
vfolder_format visual xterm_icon xterm_title
`)

// synonyms maps an old or alternative variable name to the name the
// client reports (neomutt renamed many variables).
var synonyms = map[string]string{
	"abort_noattach_regexp":    "abort_noattach_regex",
	"askbcc":                   "ask_bcc",
	"askcc":                    "ask_cc",
	"attach_keyword":           "abort_noattach_regex",
	"autoedit":                 "auto_edit",
	"confirmappend":            "confirm_append",
	"confirmcreate":            "confirm_create",
	"crypt_autoencrypt":        "crypt_auto_encrypt",
	"crypt_autopgp":            "crypt_auto_pgp",
	"crypt_autosign":           "crypt_auto_sign",
	"crypt_autosmime":          "crypt_auto_smime",
	"crypt_confirmhook":        "crypt_confirm_hook",
	"crypt_replyencrypt":       "crypt_reply_encrypt",
	"crypt_replysign":          "crypt_reply_sign",
	"crypt_replysignencrypted": "crypt_reply_sign_encrypted",
	"envelope_from":            "use_envelope_from",
	"forw_decode":              "forward_decode",
	"forw_decrypt":             "forward_decrypt",
	"forw_format":              "forward_format",
	"forw_quote":               "forward_quote",
	"hdr_format":               "index_format",
	"imap_servernoise":         "imap_server_noise",
	"include_onlyfirst":        "include_only_first",
	"indent_str":               "indent_string",
	"metoo":                    "me_too",
	"mime_fwd":                 "mime_forward",
	"msg_format":               "message_format",
	"nm_default_uri":           "nm_default_url",
	"pgp_auto_traditional":     "pgp_reply_inline",
	"pgp_autoencrypt":          "crypt_auto_encrypt",
	"pgp_autoinline":           "pgp_auto_inline",
	"pgp_autosign":             "crypt_auto_sign",
	"pgp_clearsign_command":    "pgp_clear_sign_command",
	"pgp_create_traditional":   "pgp_auto_inline",
	"pgp_getkeys_command":      "pgp_get_keys_command",
	"pgp_replyencrypt":         "crypt_reply_encrypt",
	"pgp_replyinline":          "pgp_reply_inline",
	"pgp_replysign":            "crypt_reply_sign",
	"pgp_replysignencrypted":   "crypt_reply_sign_encrypted",
	"pgp_self_encrypt_as":      "pgp_default_key",
	"pgp_verify_sig":           "crypt_verify_sig",
	"pop_checkinterval":        "pop_check_interval",
	"post_indent_str":          "post_indent_string",
	"print_cmd":                "print_command",
	"quote_regexp":             "quote_regex",
	"realname":                 "real_name",
	"reply_regexp":             "reply_regex",
	"reverse_realname":         "reverse_real_name",
	"skip_quoted_offset":       "pager_skip_quoted_context",
	"smime_self_encrypt_as":    "smime_default_key",
	"spoolfile":                "spool_file",
	"use_8bitmime":             "use_8bit_mime",
	"virtual_spoolfile":        "virtual_spool_file",
	"xterm_icon":               "ts_icon_format",
	"xterm_set_titles":         "ts_enabled",
	"xterm_title":              "ts_status_format",
}

// commandNames are the configuration commands of mutt and neomutt.
var commandNames = words(`
account-hook alias alternates alternative_order append-hook attachments
auto_view bind cd charset-hook close-hook color crypt-hook echo exec
fcc-hook fcc-save-hook finish folder-hook group hdr_order iconv-hook ifdef
ifndef ignore index-format-hook lists lua lua-source macro mailboxes
mailto_allow mbox-hook message-hook mime_lookup mono my_hdr named-mailboxes
nospam open-hook pgp-hook push reply-hook reset run save-hook score
send-hook send2-hook set setenv shutdown-hook sidebar_pin sidebar_unpin
sidebar_whitelist source spam startup-hook subjectrx subscribe subscribe-to
tag-formats tag-transforms timeout-hook toggle unalias unalternates
unalternative_order unattachments unauto_view unbind uncolor ungroup
unhdr_order unhook unignore unlists unmacro unmailboxes unmailto_allow
unmime_lookup unmono unmy_hdr unscore unset unsetenv unsidebar_pin
unsidebar_whitelist unsubjectrx unsubscribe unsubscribe-from
unvirtual-mailboxes version virtual-mailboxes
`)
