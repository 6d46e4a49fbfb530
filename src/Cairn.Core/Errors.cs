namespace Cairn;

/// <summary>Error codes of the taxonomy; the numbers are the gRPC status codes MLMD returns.</summary>
public enum CairnErrorCode
{
    /// <summary>The request is malformed or names something that does not exist where MLMD says so.</summary>
    InvalidArgument = 3,
    /// <summary>A requested entity does not exist.</summary>
    NotFound = 5,
    /// <summary>The entity already exists or conflicts with a stored one.</summary>
    AlreadyExists = 6,
    /// <summary>The store is not in the state the call requires.</summary>
    FailedPrecondition = 9,
    /// <summary>A concurrent change got in the way; the call may be retried.</summary>
    Aborted = 10,
    /// <summary>An index or size is outside its range.</summary>
    OutOfRange = 11,
    /// <summary>The operation or option is not supported.</summary>
    Unimplemented = 12,
    /// <summary>The store failed in a way the caller cannot fix.</summary>
    Internal = 13,
    /// <summary>The store cannot be reached or opened.</summary>
    Unavailable = 14,
    /// <summary>The store's files are damaged.</summary>
    DataLoss = 15,
}

/// <summary>Base of every error Cairn reports; <see cref="Code"/> says which kind.</summary>
public abstract class CairnException : Exception
{
    private protected CairnException(string message, Exception? inner)
        : base(message, inner)
    {
    }

    /// <summary>The kind of error, equal to the gRPC status code MLMD would return.</summary>
    public abstract CairnErrorCode Code { get; }

    /// <summary>Creates the exception subclass for <paramref name="code"/>.</summary>
    public static CairnException Create(CairnErrorCode code, string message, Exception? inner = null) => code switch
    {
        CairnErrorCode.InvalidArgument => new InvalidArgumentException(message, inner),
        CairnErrorCode.NotFound => new NotFoundException(message, inner),
        CairnErrorCode.AlreadyExists => new AlreadyExistsException(message, inner),
        CairnErrorCode.FailedPrecondition => new FailedPreconditionException(message, inner),
        CairnErrorCode.Aborted => new AbortedException(message, inner),
        CairnErrorCode.OutOfRange => new OutOfRangeException(message, inner),
        CairnErrorCode.Unimplemented => new UnimplementedException(message, inner),
        CairnErrorCode.Unavailable => new StoreUnavailableException(message, inner),
        CairnErrorCode.DataLoss => new DataLossException(message, inner),
        _ => new InternalException(message, inner),
    };
}

/// <summary>The request is invalid (MLMD INVALID_ARGUMENT).</summary>
public sealed class InvalidArgumentException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.InvalidArgument;
}

/// <summary>Something requested does not exist (MLMD NOT_FOUND).</summary>
public sealed class NotFoundException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.NotFound;
}

/// <summary>The entity already exists or conflicts with a stored one (MLMD ALREADY_EXISTS).</summary>
public sealed class AlreadyExistsException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.AlreadyExists;
}

/// <summary>The store is not in the state the call requires (MLMD FAILED_PRECONDITION).</summary>
public sealed class FailedPreconditionException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.FailedPrecondition;
}

/// <summary>A concurrent change got in the way; retrying may succeed (MLMD ABORTED).</summary>
public sealed class AbortedException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.Aborted;
}

/// <summary>An index is outside its range (MLMD OUT_OF_RANGE).</summary>
public sealed class OutOfRangeException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.OutOfRange;
}

/// <summary>The operation or option is not supported (MLMD UNIMPLEMENTED).</summary>
public sealed class UnimplementedException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.Unimplemented;
}

/// <summary>The store cannot be reached or opened (server down, file not openable, disk full). A lock held too long is <see cref="AbortedException"/>, which callers retry.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.Unavailable;
}

/// <summary>The store's files are damaged. A file that is not a Cairn store at all is <see cref="FailedPreconditionException"/>.</summary>
public sealed class DataLossException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.DataLoss;
}

/// <summary>An unexpected failure inside the store.</summary>
public sealed class InternalException(string message, Exception? inner = null) : CairnException(message, inner)
{
    /// <inheritdoc/>
    public override CairnErrorCode Code => CairnErrorCode.Internal;
}
