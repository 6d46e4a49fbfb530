namespace Cairn.Cli;

/// <summary>
/// The exit codes of <c>cairn</c>. Scripts may rely on them: each store error code has its own, and they are
/// documented in docs/cli.md.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure inside cairn (a bug): a generic message is printed.</summary>
    public const int Unexpected = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or conflicting options.</summary>
    public const int Usage = 2;

    /// <summary>Invalid input: a bad value, a malformed file, a request the store refuses as invalid.</summary>
    public const int InvalidArgument = 3;

    /// <summary>Something named does not exist (a type, a node, an input file, the store itself).</summary>
    public const int NotFound = 4;

    /// <summary>The entity already exists or conflicts with a stored one.</summary>
    public const int AlreadyExists = 5;

    /// <summary>The store is not in the state the command needs (for example a schema newer than this cairn).</summary>
    public const int FailedPrecondition = 6;

    /// <summary>A concurrent change got in the way; retrying may succeed.</summary>
    public const int Aborted = 7;

    /// <summary>A value is outside its range.</summary>
    public const int OutOfRange = 8;

    /// <summary>The operation or backend is not supported.</summary>
    public const int Unimplemented = 9;

    /// <summary>The store failed internally.</summary>
    public const int Internal = 10;

    /// <summary>The store is unavailable, for example locked by another process.</summary>
    public const int Unavailable = 11;

    /// <summary>The store's files are damaged or are not a Cairn store.</summary>
    public const int DataLoss = 12;

    /// <summary>The command was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code for a store error code.</summary>
    public static int For(CairnErrorCode code) => code switch
    {
        CairnErrorCode.InvalidArgument => InvalidArgument,
        CairnErrorCode.NotFound => NotFound,
        CairnErrorCode.AlreadyExists => AlreadyExists,
        CairnErrorCode.FailedPrecondition => FailedPrecondition,
        CairnErrorCode.Aborted => Aborted,
        CairnErrorCode.OutOfRange => OutOfRange,
        CairnErrorCode.Unimplemented => Unimplemented,
        CairnErrorCode.Unavailable => Unavailable,
        CairnErrorCode.DataLoss => DataLoss,
        _ => Internal,
    };
}
