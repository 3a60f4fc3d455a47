-- Full-text index over search_document (external content: the text is stored once).
-- remove_diacritics 2 makes "Medellin" find "Medellín"; prefix indexes make "mobi*" cheap.
CREATE VIRTUAL TABLE `search_fts` USING fts5(
	title, summary, keywords, body,
	content='search_document', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2',
	prefix='2 3'
);
--> statement-breakpoint
-- Every indexed term with its document count: the dictionary for typo correction and stop words.
CREATE VIRTUAL TABLE `search_fts_vocab` USING fts5vocab(`search_fts`, 'row');
--> statement-breakpoint
CREATE TRIGGER `search_fts_after_insert` AFTER INSERT ON `search_document` BEGIN
	INSERT INTO `search_fts` (rowid, title, summary, keywords, body)
	VALUES (new.id, new.title, new.summary, new.keywords, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `search_fts_after_delete` AFTER DELETE ON `search_document` BEGIN
	INSERT INTO `search_fts` (`search_fts`, rowid, title, summary, keywords, body)
	VALUES ('delete', old.id, old.title, old.summary, old.keywords, old.body);
END;
--> statement-breakpoint
-- On every column, not only the texts: the engine's caches key on the FTS structure (sqlite.ts).
CREATE TRIGGER `search_fts_after_update` AFTER UPDATE ON `search_document` BEGIN
	INSERT INTO `search_fts` (`search_fts`, rowid, title, summary, keywords, body)
	VALUES ('delete', old.id, old.title, old.summary, old.keywords, old.body);
	INSERT INTO `search_fts` (rowid, title, summary, keywords, body)
	VALUES (new.id, new.title, new.summary, new.keywords, new.body);
END;
