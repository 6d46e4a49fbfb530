using System.Data.Common;

namespace Cairn.Store.Relational;

/// <summary>Schemaspace instances in the <c>schemaspace_instance</c> table (migration 4): one row per (schemaspace, name).</summary>
internal static class InstanceOperations
{
    private const string Columns = "schemaspace, name, content, create_time, update_time";

    public static async Task<IReadOnlyList<StoredInstanceRecord>> GetAsync(Session s, string schemaspace, string? name, CancellationToken ct)
    {
        var c = s.Command(name is null
            ? $"SELECT {Columns} FROM schemaspace_instance WHERE schemaspace = @ss"
            : $"SELECT {Columns} FROM schemaspace_instance WHERE schemaspace = @ss AND name = @name");
        Session.Bind(c, "@ss", schemaspace);
        if (name is not null) Session.Bind(c, "@name", name);
        var rows = await s.QueryAsync(c, Read, ct).ConfigureAwait(false);

        // Ordinal order whatever the database's collation, so both backends list alike.
        rows.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return rows;
    }

    public static async Task<StoredInstanceRecord> PutAsync(Session s, string schemaspace, string name, string content, bool create, CancellationToken ct)
    {
        // An update keeps the state it replaces in the change log; a create finds nothing here.
        var before = create ? null : (await GetAsync(s, schemaspace, name, ct).ConfigureAwait(false)).FirstOrDefault();

        // The primary key decides a race between two creates: the loser inserts nothing (or, on PostgreSQL, is
        // retried after a serialization failure and then inserts nothing) and is told the name is taken.
        var c = s.Command(create
            ? $"INSERT INTO schemaspace_instance ({Columns}) VALUES (@ss, @name, @content, @now, @now) ON CONFLICT (schemaspace, name) DO NOTHING RETURNING {Columns}"
            : $"INSERT INTO schemaspace_instance ({Columns}) VALUES (@ss, @name, @content, @now, @now) " +
              $"ON CONFLICT (schemaspace, name) DO UPDATE SET content = excluded.content, update_time = excluded.update_time RETURNING {Columns}");
        Session.Bind(c, "@ss", schemaspace);
        Session.Bind(c, "@name", name);
        Session.Bind(c, "@content", content);
        Session.Bind(c, "@now", s.Now);
        var rows = await s.QueryAsync(c, Read, ct).ConfigureAwait(false);
        if (rows.Count != 1) throw new AlreadyExistsException(InstanceStorageMessages.InstanceExists(name, schemaspace));
        ChangeOperations.InstanceChanged(s, schemaspace, name, before is null ? ChangeOperation.Create : ChangeOperation.Update, before);
        return rows[0];
    }

    public static async Task<bool> DeleteAsync(Session s, string schemaspace, string name, CancellationToken ct)
    {
        var before = (await GetAsync(s, schemaspace, name, ct).ConfigureAwait(false)).FirstOrDefault();
        if (before is null) return false;
        var c = s.Command("DELETE FROM schemaspace_instance WHERE schemaspace = @ss AND name = @name");
        Session.Bind(c, "@ss", schemaspace);
        Session.Bind(c, "@name", name);
        if (await s.ExecuteAsync(c, ct).ConfigureAwait(false) == 0) return false;
        ChangeOperations.InstanceChanged(s, schemaspace, name, ChangeOperation.Delete, before);
        return true;
    }

    private static StoredInstanceRecord Read(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4));
}

/// <summary><see cref="IInstanceStorage"/>: each call is one transaction of the store.</summary>
internal sealed partial class RelationalMetadataStore
{
    public Task<IReadOnlyList<StoredInstanceRecord>> GetInstancesAsync(string schemaspace, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(schemaspace);
        return ReadAsync(s => InstanceOperations.GetAsync(s, schemaspace, name, cancellationToken), cancellationToken);
    }

    public Task<StoredInstanceRecord> PutInstanceAsync(string schemaspace, string name, string content, bool create, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(schemaspace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(content);
        return WriteAsync(s => InstanceOperations.PutAsync(s, schemaspace, name, content, create, cancellationToken), cancellationToken);
    }

    public Task<bool> DeleteInstanceAsync(string schemaspace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(schemaspace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return WriteAsync(s => InstanceOperations.DeleteAsync(s, schemaspace, name, cancellationToken), cancellationToken);
    }
}
