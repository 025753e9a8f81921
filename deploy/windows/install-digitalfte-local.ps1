# The local agent on Windows as a scheduled task that starts at logon and restarts after a failure.
# Run in PowerShell as yourself (no administrator needed):  .\install-digitalfte-local.ps1
# Folder: %USERPROFILE%\digitalfte with digitalfte.jar and .env (Java 17: winget install EclipseAdoptium.Temurin.17.JRE)
$dir = Join-Path $env:USERPROFILE 'digitalfte'
$java = (Get-Command javaw.exe -ErrorAction Stop).Source
$action = New-ScheduledTaskAction -Execute $java -Argument '-Xmx256m -XX:+ExitOnOutOfMemoryError -jar digitalfte.jar run' -WorkingDirectory $dir
$trigger = New-ScheduledTaskTrigger -AtLogOn -User $env:USERNAME
# no time limit, three restarts a minute apart, and not stopped on battery
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) `
    -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -StartWhenAvailable
Register-ScheduledTask -TaskName 'DigitalFTE local' -Action $action -Trigger $trigger -Settings $settings `
    -Description 'DigitalFTE local agent: approvals, sending, Dashboard' -Force
Start-ScheduledTask -TaskName 'DigitalFTE local'
Write-Output "Started. Log: $dir\logs\digitalfte.log   Check: java -jar $dir\digitalfte.jar doctor"
