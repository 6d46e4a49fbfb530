namespace Cairn.Store.Sqlite;

/// <summary>Cairn's schema on SQLite, as an ordered list of migrations. A store records the versions it has applied.</summary>
internal static class SqliteSchema
{
    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Migrations.Count;

    /// <summary>Migration <c>i</c> takes a store from version <c>i</c> to <c>i + 1</c>.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: the MLMD data model.
        """
        CREATE TABLE cairn_schema (
            version       INTEGER PRIMARY KEY,
            applied_at    INTEGER NOT NULL,
            cairn_version TEXT NOT NULL
        );

        -- Types of the three kinds (1 artifact, 2 execution, 3 context). An unversioned type has version ''.
        CREATE TABLE type (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            kind         INTEGER NOT NULL,
            name         TEXT NOT NULL,
            version      TEXT NOT NULL DEFAULT '',
            description  TEXT,
            external_id  TEXT UNIQUE,
            base_type_id INTEGER REFERENCES type (id),
            input_type   BLOB,
            output_type  BLOB,
            UNIQUE (kind, name, version)
        );

        CREATE TABLE type_property (
            type_id   INTEGER NOT NULL REFERENCES type (id),
            name      TEXT NOT NULL,
            data_type INTEGER NOT NULL,
            PRIMARY KEY (type_id, name)
        ) WITHOUT ROWID;

        CREATE TABLE artifact (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            type_id     INTEGER NOT NULL REFERENCES type (id),
            name        TEXT,
            external_id TEXT UNIQUE,
            uri         TEXT NOT NULL DEFAULT '',
            state       INTEGER,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            UNIQUE (type_id, name)
        );
        CREATE INDEX artifact_by_type ON artifact (type_id, id);
        CREATE INDEX artifact_by_uri ON artifact (uri);
        CREATE INDEX artifact_by_create_time ON artifact (create_time, id);
        CREATE INDEX artifact_by_update_time ON artifact (update_time, id);

        CREATE TABLE execution (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            type_id     INTEGER NOT NULL REFERENCES type (id),
            name        TEXT,
            external_id TEXT UNIQUE,
            state       INTEGER,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            UNIQUE (type_id, name)
        );
        CREATE INDEX execution_by_type ON execution (type_id, id);
        CREATE INDEX execution_by_create_time ON execution (create_time, id);
        CREATE INDEX execution_by_update_time ON execution (update_time, id);

        CREATE TABLE context (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            type_id     INTEGER NOT NULL REFERENCES type (id),
            name        TEXT NOT NULL,
            external_id TEXT UNIQUE,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            UNIQUE (type_id, name)
        );
        CREATE INDEX context_by_type ON context (type_id, id);
        CREATE INDEX context_by_create_time ON context (create_time, id);
        CREATE INDEX context_by_update_time ON context (update_time, id);

        -- Property values: kind is Cairn.ValueKind; bool and int share int_value; struct is JSON in string_value;
        -- proto keeps its type URL in string_value and its bytes in bytes_value.
        CREATE TABLE artifact_property (
            node_id      INTEGER NOT NULL REFERENCES artifact (id),
            is_custom    INTEGER NOT NULL,
            name         TEXT NOT NULL,
            kind         INTEGER NOT NULL,
            int_value    INTEGER,
            double_value REAL,
            string_value TEXT,
            bytes_value  BLOB,
            PRIMARY KEY (node_id, is_custom, name)
        ) WITHOUT ROWID;

        CREATE TABLE execution_property (
            node_id      INTEGER NOT NULL REFERENCES execution (id),
            is_custom    INTEGER NOT NULL,
            name         TEXT NOT NULL,
            kind         INTEGER NOT NULL,
            int_value    INTEGER,
            double_value REAL,
            string_value TEXT,
            bytes_value  BLOB,
            PRIMARY KEY (node_id, is_custom, name)
        ) WITHOUT ROWID;

        CREATE TABLE context_property (
            node_id      INTEGER NOT NULL REFERENCES context (id),
            is_custom    INTEGER NOT NULL,
            name         TEXT NOT NULL,
            kind         INTEGER NOT NULL,
            int_value    INTEGER,
            double_value REAL,
            string_value TEXT,
            bytes_value  BLOB,
            PRIMARY KEY (node_id, is_custom, name)
        ) WITHOUT ROWID;

        -- Events: path is a compact JSON array of steps (numbers are indexes, strings keys).
        CREATE TABLE event (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            artifact_id  INTEGER NOT NULL REFERENCES artifact (id),
            execution_id INTEGER NOT NULL REFERENCES execution (id),
            type         INTEGER NOT NULL,
            time         INTEGER NOT NULL,
            path         TEXT,
            UNIQUE (artifact_id, execution_id, type)
        );
        CREATE INDEX event_by_execution ON event (execution_id);

        CREATE TABLE attribution (
            context_id  INTEGER NOT NULL REFERENCES context (id),
            artifact_id INTEGER NOT NULL REFERENCES artifact (id),
            PRIMARY KEY (context_id, artifact_id)
        ) WITHOUT ROWID;
        CREATE INDEX attribution_by_artifact ON attribution (artifact_id);

        CREATE TABLE association (
            context_id   INTEGER NOT NULL REFERENCES context (id),
            execution_id INTEGER NOT NULL REFERENCES execution (id),
            PRIMARY KEY (context_id, execution_id)
        ) WITHOUT ROWID;
        CREATE INDEX association_by_execution ON association (execution_id);

        CREATE TABLE parent_context (
            child_id  INTEGER NOT NULL REFERENCES context (id),
            parent_id INTEGER NOT NULL REFERENCES context (id),
            PRIMARY KEY (child_id, parent_id)
        ) WITHOUT ROWID;
        CREATE INDEX parent_context_by_parent ON parent_context (parent_id);

        -- The nine MLMD system types, in MLMD's order, so they take ids 1-9 as they do in MLMD.
        INSERT INTO type (kind, name) VALUES
            (1, 'mlmd.Dataset'), (1, 'mlmd.Model'), (1, 'mlmd.Metrics'), (1, 'mlmd.Statistics'),
            (2, 'mlmd.Train'), (2, 'mlmd.Transform'), (2, 'mlmd.Process'), (2, 'mlmd.Evaluate'), (2, 'mlmd.Deploy');
        """,

        // 2: indexes for filter queries. A property predicate starts from (name, is_custom, value); the indexes are partial
        // because each row fills one value column. Neighbour filters look contexts up by name.
        """
        CREATE INDEX artifact_property_by_int ON artifact_property (name, is_custom, int_value) WHERE int_value IS NOT NULL;
        CREATE INDEX artifact_property_by_double ON artifact_property (name, is_custom, double_value) WHERE double_value IS NOT NULL;
        CREATE INDEX artifact_property_by_string ON artifact_property (name, is_custom, string_value) WHERE string_value IS NOT NULL;
        CREATE INDEX execution_property_by_int ON execution_property (name, is_custom, int_value) WHERE int_value IS NOT NULL;
        CREATE INDEX execution_property_by_double ON execution_property (name, is_custom, double_value) WHERE double_value IS NOT NULL;
        CREATE INDEX execution_property_by_string ON execution_property (name, is_custom, string_value) WHERE string_value IS NOT NULL;
        CREATE INDEX context_property_by_int ON context_property (name, is_custom, int_value) WHERE int_value IS NOT NULL;
        CREATE INDEX context_property_by_double ON context_property (name, is_custom, double_value) WHERE double_value IS NOT NULL;
        CREATE INDEX context_property_by_string ON context_property (name, is_custom, string_value) WHERE string_value IS NOT NULL;
        CREATE INDEX context_by_name ON context (name);
        """,

        // 3: the value kind joins the property indexes. Filters check it (bool and int share int_value; string, struct and proto share
        // string_value), and without it every index hit needed a lookup of the row.
        """
        DROP INDEX artifact_property_by_int;
        CREATE INDEX artifact_property_by_int ON artifact_property (name, is_custom, kind, int_value) WHERE int_value IS NOT NULL;
        DROP INDEX artifact_property_by_double;
        CREATE INDEX artifact_property_by_double ON artifact_property (name, is_custom, kind, double_value) WHERE double_value IS NOT NULL;
        DROP INDEX artifact_property_by_string;
        CREATE INDEX artifact_property_by_string ON artifact_property (name, is_custom, kind, string_value) WHERE string_value IS NOT NULL;
        DROP INDEX execution_property_by_int;
        CREATE INDEX execution_property_by_int ON execution_property (name, is_custom, kind, int_value) WHERE int_value IS NOT NULL;
        DROP INDEX execution_property_by_double;
        CREATE INDEX execution_property_by_double ON execution_property (name, is_custom, kind, double_value) WHERE double_value IS NOT NULL;
        DROP INDEX execution_property_by_string;
        CREATE INDEX execution_property_by_string ON execution_property (name, is_custom, kind, string_value) WHERE string_value IS NOT NULL;
        DROP INDEX context_property_by_int;
        CREATE INDEX context_property_by_int ON context_property (name, is_custom, kind, int_value) WHERE int_value IS NOT NULL;
        DROP INDEX context_property_by_double;
        CREATE INDEX context_property_by_double ON context_property (name, is_custom, kind, double_value) WHERE double_value IS NOT NULL;
        DROP INDEX context_property_by_string;
        CREATE INDEX context_property_by_string ON context_property (name, is_custom, kind, string_value) WHERE string_value IS NOT NULL;
        """,

        // 4: schemaspace instances (issue 9): one row per (schemaspace, name), the JSON as written. The primary key is what
        // refuses a second instance of a name, also between concurrent writers.
        """
        CREATE TABLE schemaspace_instance (
            schemaspace TEXT NOT NULL,
            name        TEXT NOT NULL,
            content     TEXT NOT NULL,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            PRIMARY KEY (schemaspace, name)
        );
        """,

        // 5: owners and tags (issue 8). One row per (node, label, value): label 1 is a tag, 2 an owner. The primary key serves
        // "labels of these nodes"; the second index serves filters and facets that start from a value.
        """
        CREATE TABLE artifact_label (
            node_id INTEGER NOT NULL REFERENCES artifact (id),
            label   INTEGER NOT NULL,
            value   TEXT NOT NULL,
            PRIMARY KEY (node_id, label, value)
        ) WITHOUT ROWID;
        CREATE INDEX artifact_label_by_value ON artifact_label (label, value, node_id);
        CREATE TABLE execution_label (
            node_id INTEGER NOT NULL REFERENCES execution (id),
            label   INTEGER NOT NULL,
            value   TEXT NOT NULL,
            PRIMARY KEY (node_id, label, value)
        ) WITHOUT ROWID;
        CREATE INDEX execution_label_by_value ON execution_label (label, value, node_id);
        CREATE TABLE context_label (
            node_id INTEGER NOT NULL REFERENCES context (id),
            label   INTEGER NOT NULL,
            value   TEXT NOT NULL,
            PRIMARY KEY (node_id, label, value)
        ) WITHOUT ROWID;
        CREATE INDEX context_label_by_value ON context_label (label, value, node_id);
        """,

        // 6: the search index (issue 8), see SearchIndex.
        SearchIndex.Migration,

        // 7: the change log (docs/history.md). One small row per change, written in the write's transaction; entity and
        // operation are the numbers of ChangeEntity and ChangeOperation. A change's state is not copied: the latest state is
        // the live row, and an update or delete first keeps the state it replaces in change_state under its own seq.
        // AUTOINCREMENT: a seq is never handed out twice, so a cursor never meets a reused number.
        """
        CREATE TABLE change_log (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            time       INTEGER NOT NULL,
            actor      TEXT NOT NULL,
            entity     INTEGER NOT NULL,
            entity_id  INTEGER,
            entity_key TEXT,
            operation  INTEGER NOT NULL
        );
        CREATE INDEX change_log_by_id ON change_log (entity, entity_id, seq) WHERE entity_id IS NOT NULL;
        CREATE INDEX change_log_by_key ON change_log (entity, entity_key, seq) WHERE entity = 11;

        -- The state an entity had before change seq (an update or a delete) replaced it, as JSON.
        CREATE TABLE change_state (
            seq   INTEGER PRIMARY KEY REFERENCES change_log (seq),
            state TEXT NOT NULL
        );
        """,
    ];
}

/// <summary>
/// Migration 6: the search index, two FTS5 tables per node kind kept by triggers on the node, property and label tables, so the
/// index is part of every write's transaction whoever writes (the engine, the MLMD importer, a benchmark's raw SQL).
/// </summary>
/// <remarks>
/// <para><c>{kind}_search</c> holds one row per node (rowid = node id): name, type, uri, external_id. <c>{kind}_search_value</c>
/// holds one row per string property value (declared and custom) and per tag and owner, in the column properties, tags or
/// owners; its rowid is the id of the row's <c>{kind}_search_key</c> (node_id, source, name), source 0/1 a declared/custom
/// property, 2 a tag, 3 an owner. A node matches when every term group of the search matches one of its rows
/// (<c>SqliteDialect.SearchHits</c>).</para>
/// <para>Why rows per value and not one document per node: a new node's properties arrive one INSERT at a time after the node,
/// and rewriting a per-node document for each of them (an FTS5 delete and insert) cost 3-5× the raw write of the rows; here every
/// write of a value is one insert (and a delete is a tombstone). Both tables are contentless with <c>contentless_delete</c>:
/// highlights are computed from the nodes, so the text is not stored twice. The tokenizer keeps diacritics so that words split
/// and compare as in PostgreSQL's <c>simple</c> configuration and as <c>SearchSyntax.Words</c> splits the search text.</para>
/// </remarks>
internal static class SearchIndex
{
    /// <summary>The value kind of string properties (<c>ValueKind.String</c>); only those are indexed.</summary>
    private const int StringKind = (int)ValueKind.String;

    private const string Options = "content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'";

    public static string Migration { get; } = string.Concat(
        Kind("artifact", hasUri: true), Kind("execution", hasUri: false), Kind("context", hasUri: false));

    private static string Kind(string t, bool hasUri)
    {
        var uri = hasUri ? "n.uri" : "NULL";
        var newUri = hasUri ? "NEW.uri" : "NULL";
        var uriChanged = hasUri ? " OR NEW.uri IS NOT OLD.uri" : string.Empty;
        string Key(string row, string source, string name) => $"node_id = {row}.node_id AND source = {source} AND name = {row}.{name}";
        string AddProperty(string row) => $"""
                INSERT INTO {t}_search_key (node_id, source, name) VALUES ({row}.node_id, {row}.is_custom, {row}.name);
                INSERT INTO {t}_search_value (rowid, properties) VALUES (last_insert_rowid(), {row}.string_value);
            """;
        string DropProperty(string row) => $"""
                DELETE FROM {t}_search_value WHERE rowid = (SELECT id FROM {t}_search_key WHERE {Key(row, row + ".is_custom", "name")});
                DELETE FROM {t}_search_key WHERE {Key(row, row + ".is_custom", "name")};
            """;
        string AddLabel(string row) => $"""
                INSERT INTO {t}_search_key (node_id, source, name) VALUES ({row}.node_id, {row}.label + 1, {row}.value);
                INSERT INTO {t}_search_value (rowid, tags, owners)
                VALUES (last_insert_rowid(), CASE WHEN {row}.label = 1 THEN {row}.value END, CASE WHEN {row}.label = 2 THEN {row}.value END);
            """;
        string DropLabel(string row) => $"""
                DELETE FROM {t}_search_value WHERE rowid = (SELECT id FROM {t}_search_key WHERE {Key(row, row + ".label + 1", "value")});
                DELETE FROM {t}_search_key WHERE {Key(row, row + ".label + 1", "value")};
            """;
        return $"""
            CREATE VIRTUAL TABLE {t}_search USING fts5 (name, type, uri, external_id, {Options});
            CREATE TABLE {t}_search_key (
                id      INTEGER PRIMARY KEY,
                node_id INTEGER NOT NULL,
                source  INTEGER NOT NULL,
                name    TEXT NOT NULL,
                UNIQUE (node_id, source, name)
            );
            CREATE VIRTUAL TABLE {t}_search_value USING fts5 (properties, tags, owners, {Options});

            INSERT INTO {t}_search (rowid, name, type, uri, external_id)
                SELECT n.id, n.name, t.name, {uri}, n.external_id FROM {t} n JOIN type t ON t.id = n.type_id;
            INSERT INTO {t}_search_key (node_id, source, name) SELECT node_id, is_custom, name FROM {t}_property WHERE kind = {StringKind};
            INSERT INTO {t}_search_value (rowid, properties)
                SELECT k.id, p.string_value FROM {t}_search_key k
                JOIN {t}_property p ON p.node_id = k.node_id AND p.is_custom = k.source AND p.name = k.name;
            INSERT INTO {t}_search_key (node_id, source, name) SELECT node_id, label + 1, value FROM {t}_label;
            INSERT INTO {t}_search_value (rowid, tags, owners)
                SELECT id, CASE WHEN source = 2 THEN name END, CASE WHEN source = 3 THEN name END FROM {t}_search_key WHERE source >= 2;

            CREATE TRIGGER {t}_search_insert AFTER INSERT ON {t} BEGIN
                INSERT INTO {t}_search (rowid, name, type, uri, external_id)
                VALUES (NEW.id, NEW.name, (SELECT name FROM type WHERE id = NEW.type_id), {newUri}, NEW.external_id);
            END;
            CREATE TRIGGER {t}_search_update AFTER UPDATE ON {t}
                WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.external_id IS NOT OLD.external_id OR NEW.type_id IS NOT OLD.type_id{uriChanged} BEGIN
                DELETE FROM {t}_search WHERE rowid = OLD.id;
                INSERT INTO {t}_search (rowid, name, type, uri, external_id)
                VALUES (NEW.id, NEW.name, (SELECT name FROM type WHERE id = NEW.type_id), {newUri}, NEW.external_id);
            END;
            CREATE TRIGGER {t}_search_delete AFTER DELETE ON {t} BEGIN
                DELETE FROM {t}_search WHERE rowid = OLD.id;
            END;
            CREATE TRIGGER {t}_property_search_insert AFTER INSERT ON {t}_property WHEN NEW.kind = {StringKind} BEGIN
            {AddProperty("NEW")}
            END;
            CREATE TRIGGER {t}_property_search_update AFTER UPDATE ON {t}_property
                WHEN (OLD.kind = {StringKind} OR NEW.kind = {StringKind}) AND (NEW.kind IS NOT OLD.kind OR NEW.string_value IS NOT OLD.string_value
                    OR NEW.node_id IS NOT OLD.node_id OR NEW.is_custom IS NOT OLD.is_custom OR NEW.name IS NOT OLD.name) BEGIN
                DELETE FROM {t}_search_value WHERE OLD.kind = {StringKind}
                    AND rowid = (SELECT id FROM {t}_search_key WHERE {Key("OLD", "OLD.is_custom", "name")});
                DELETE FROM {t}_search_key WHERE OLD.kind = {StringKind} AND {Key("OLD", "OLD.is_custom", "name")};
                INSERT INTO {t}_search_key (node_id, source, name) SELECT NEW.node_id, NEW.is_custom, NEW.name WHERE NEW.kind = {StringKind};
                INSERT INTO {t}_search_value (rowid, properties) SELECT last_insert_rowid(), NEW.string_value WHERE NEW.kind = {StringKind};
            END;
            CREATE TRIGGER {t}_property_search_delete AFTER DELETE ON {t}_property WHEN OLD.kind = {StringKind} BEGIN
            {DropProperty("OLD")}
            END;
            CREATE TRIGGER {t}_label_search_insert AFTER INSERT ON {t}_label BEGIN
            {AddLabel("NEW")}
            END;
            CREATE TRIGGER {t}_label_search_update AFTER UPDATE ON {t}_label BEGIN
            {DropLabel("OLD")}
            {AddLabel("NEW")}
            END;
            CREATE TRIGGER {t}_label_search_delete AFTER DELETE ON {t}_label BEGIN
            {DropLabel("OLD")}
            END;

            """;
    }
}
