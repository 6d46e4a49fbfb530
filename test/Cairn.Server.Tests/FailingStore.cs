using System.Reflection;

namespace Cairn.Server.Tests;

/// <summary>A store whose every call fails with one exception, to see how the server reports failures it did not expect.</summary>
public class FailingStore : DispatchProxy
{
    private static readonly MethodInfo FromException = typeof(Task).GetMethods()
        .Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethodDefinition);

    private IMetadataStore? _inner;
    private Exception? _error;

    public static IMetadataStore Wrap(IMetadataStore inner, Exception error)
    {
        var proxy = Create<IMetadataStore, FailingStore>();
        var failing = (FailingStore)(object)proxy;
        failing._inner = inner;
        failing._error = error;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == "get_" + nameof(IMetadataStore.DisplayUri)) return _inner!.DisplayUri;
        if (targetMethod.Name == nameof(IAsyncDisposable.DisposeAsync)) return ValueTask.CompletedTask;
        var type = targetMethod.ReturnType;
        if (type == typeof(Task)) return Task.FromException(_error!);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
            return FromException.MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [_error]);
        throw _error!;
    }
}
