namespace Cairn.Grpc;

/// <summary>The change log between the core records and <c>cairn.v1.CairnChangeService</c>'s messages.</summary>
public static class ChangeMapping
{
    /// <summary>The header that carries <see cref="ChangeActor.Current"/> from a <c>grpc://</c> client to the server.</summary>
    public const string ActorHeader = "cairn-actor";

    /// <summary>A change as sent.</summary>
    public static V1.Change ToProto(Change change)
    {
        var proto = new V1.Change
        {
            Seq = change.Seq,
            Time = change.Time,
            Actor = change.Actor,
            Entity = ChangeLog.NameOf(change.Entity),
            Operation = ChangeLog.NameOf(change.Operation),
        };
        if (change.EntityId is { } id) proto.EntityId = id;
        if (change.EntityKey is { } key) proto.EntityKey = key;
        if (change.State is { } state) proto.State = state;
        return proto;
    }

    /// <summary>A change as received.</summary>
    public static Change ToCore(V1.Change proto) => new(
        proto.Seq, proto.Time, proto.Actor, ChangeLog.ParseEntity(proto.Entity, "entity"),
        proto.HasEntityId ? proto.EntityId : null, proto.HasEntityKey ? proto.EntityKey : null,
        proto.Operation switch
        {
            "create" => ChangeOperation.Create,
            "update" => ChangeOperation.Update,
            "delete" => ChangeOperation.Delete,
            _ => throw new InvalidArgumentException(GrpcMessages.UnknownChangeOperation(proto.Operation)),
        },
        proto.HasState ? proto.State : null);

    /// <summary>A page as sent.</summary>
    public static V1.GetChangesResponse ToProto(ChangePage page)
    {
        var response = new V1.GetChangesResponse { Next = page.Next, HasMore = page.HasMore };
        response.Changes.Add(page.Changes.Select(ToProto));
        return response;
    }

    /// <summary>A page as received.</summary>
    public static ChangePage ToCore(V1.GetChangesResponse response) =>
        new([.. response.Changes.Select(ToCore)], response.Next, response.HasMore);
}
